# cmake -P test of main/qiot_requires.cmake: the components main/ requires on
# each ESP-IDF line. Expected lists from ESP-IDF's own component tree
# (components/driver/CMakeLists.txt and components/esp_driver_uart at tags
# v5.1, v5.5, v6.0): driver/uart.h is in `driver` before v5.3 and reached
# through it until v5.5; from v6.0 only `esp_driver_uart` provides it.
cmake_minimum_required(VERSION 3.16)
include(${CMAKE_CURRENT_LIST_DIR}/../main/qiot_requires.cmake)

# Run again by the v4 check at the end with QIOT_PROBE_MAJOR set.
if(DEFINED QIOT_PROBE_MAJOR)
    qiot_main_requires(unused ${QIOT_PROBE_MAJOR})
    return()
endif()

function(expect major expected)
    qiot_main_requires(got ${major})
    if(NOT "${got}" STREQUAL "${expected}")
        message(SEND_ERROR "IDF v${major}: got '${got}', expected '${expected}'")
    else()
        message(STATUS "IDF v${major}: ${got}")
    endif()
endfunction()

set(common "qiot_core;esp_partition;esp_timer;esp_system;freertos")
expect(5 "${common};driver")   # v5.1 … v5.5 (IDF_VERSION_MAJOR is 5 on all of them)
expect(6 "${common};esp_driver_uart")   # v6.0, v6.1
expect(7 "${common};esp_driver_uart")   # assumed: a later major keeps the v6 split (not released, untested)

# ESP-IDF v4 (no esp_partition, older UART API) is refused with a message.
execute_process(COMMAND ${CMAKE_COMMAND} -DQIOT_PROBE_MAJOR=4 -P ${CMAKE_CURRENT_LIST_FILE}
    RESULT_VARIABLE rc ERROR_VARIABLE err)
if(rc EQUAL 0 OR NOT err MATCHES "needs ESP-IDF v5.1 to v6.x")
    message(SEND_ERROR "IDF v4 was not refused (exit ${rc}): ${err}")
endif()
