# The ESP-IDF components main/ requires, by ESP-IDF version (major, minor).
# Kept apart from main/CMakeLists.txt so that `cmake -P` tests it without
# ESP-IDF (test/requires_test.cmake, make test-esp32).
#
# The UART driver (driver/uart.h) lives in `driver` up to v5.2; v5.3 split it
# into `esp_driver_uart`, which `driver` still required publicly through v5.5;
# v6.0 dropped that, so `driver` no longer brings driver/uart.h. Every other
# component below exists under the same name from v5.1 to v6.x.
function(qiot_main_requires out_var idf_major)
    set(requires qiot_core esp_partition esp_timer esp_system freertos)
    if(idf_major GREATER_EQUAL 6)
        list(APPEND requires esp_driver_uart)
    elseif(idf_major EQUAL 5)
        list(APPEND requires driver)
    else()
        message(FATAL_ERROR "qiot needs ESP-IDF v5.1 to v6.x; this is v${idf_major} (docs/boards.md)")
    endif()
    set(${out_var} ${requires} PARENT_SCOPE)
endfunction()
