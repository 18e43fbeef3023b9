# cmake -P helper of idf_compile_check.py: reads one component's CMakeLists.txt
# the way ESP-IDF's build reads it, and writes what a compile needs to OUT:
# its source files, public and private include directories, public and
# private requirements, the compile options it adds to its library and the
# global ones it adds to every component's. The ESP-IDF functions a CMakeLists.txt calls are
# recorders that keep their arguments; CONFIG_* come from the generated
# sdkconfig.cmake, so `if(CONFIG_…)` branches go the way the real build goes.
# Commands that need real targets are no-ops; a component whose CMakeLists.txt
# still stops with an error after idf_component_register keeps what was
# recorded up to there (the caller says so).
#
# -D: COMPONENT_DIR, OUT, IDF_PATH, IDF_TARGET, SDKCONFIG_CMAKE,
# FILE (CMakeLists.txt, or project_include.cmake for its global options).
cmake_minimum_required(VERSION 3.18)

include("${SDKCONFIG_CMAKE}")
include("${IDF_PATH}/tools/cmake/version.cmake")
set(idf_target "${IDF_TARGET}")
set(CMAKE_C_COMPILER_ID GNU)
if(CONFIG_IDF_TARGET_ARCH_RISCV)
    set(idf_target_arch riscv)
elseif(CONFIG_IDF_TARGET_ARCH_XTENSA)
    set(idf_target_arch xtensa)
endif()
get_filename_component(COMPONENT_NAME "${COMPONENT_DIR}" NAME)
set(COMPONENT_PATH "${COMPONENT_DIR}")
set(COMPONENT_LIB "__idf_${COMPONENT_NAME}")
set(COMPONENT_TARGET "${COMPONENT_LIB}")
file(WRITE "${OUT}" "")

function(qiot_record key)
    foreach(value IN LISTS ARGN)
        file(APPEND "${OUT}" "${key}\t${value}\n")
    endforeach()
endfunction()

function(qiot_record_paths key)
    foreach(path IN LISTS ARGN)
        get_filename_component(abs "${path}" ABSOLUTE BASE_DIR "${COMPONENT_DIR}")
        qiot_record(${key} "${abs}")
    endforeach()
endfunction()

function(idf_build_get_property var property)
    if(property STREQUAL "IDF_TARGET")
        set(value "${IDF_TARGET}")
    elseif(property STREQUAL "IDF_TARGET_ARCH")
        set(value "${idf_target_arch}")
    elseif(property STREQUAL "IDF_PATH")
        set(value "${IDF_PATH}")
    elseif(property MATCHES "^IDF_VERSION_(MAJOR|MINOR|PATCH)$")
        set(value "${${property}}")
    else()
        set(value "")
    endif()
    set(${var} "${value}" PARENT_SCOPE)
endfunction()

# Global build properties a component sets (e.g. pthread's
# _POSIX_READER_WRITER_LOCKS) apply to every component's compile.
function(idf_build_set_property property value)
    if(property MATCHES "^(COMPILE_OPTIONS|C_COMPILE_OPTIONS|COMPILE_DEFINITIONS)$")
        qiot_record("GLOBAL_${property}" ${value})
    endif()
endfunction()

function(idf_component_get_property var)
    set(${var} "" PARENT_SCOPE)
endfunction()

foreach(ignored idf_component_set_property idf_component_optional_requires idf_component_mock
        idf_build_component set_source_files_properties target_link_libraries target_sources
        target_link_options add_subdirectory add_dependencies add_custom_target add_custom_command
        add_library add_executable set_target_properties target_linker_script fail_at_build_time
        add_prefix idf_build_set_property_if_not_exists spiffs_create_partition_image
        target_add_binary_data idf_define_esp_err_codes)
    cmake_language(EVAL CODE "function(${ignored})\nendfunction()")
endforeach()

# Properties of targets and sources do not exist here; the rest pass through.
function(set_property scope)
    if(NOT scope MATCHES "^(TARGET|SOURCE)$")
        _set_property(${ARGV})
    endif()
endfunction()

macro(idf_component_register)
    cmake_parse_arguments(_reg "WHOLE_ARCHIVE"
                          "KCONFIG;KCONFIG_PROJBUILD"
                          "SRCS;SRC_DIRS;EXCLUDE_SRCS;INCLUDE_DIRS;PRIV_INCLUDE_DIRS;REQUIRES;PRIV_REQUIRES;LDFRAGMENTS;EMBED_FILES;EMBED_TXTFILES"
                          ${ARGN})
    qiot_record_paths(SRCS ${_reg_SRCS})
    qiot_record_paths(INCLUDE_DIRS ${_reg_INCLUDE_DIRS})
    qiot_record_paths(PRIV_INCLUDE_DIRS ${_reg_PRIV_INCLUDE_DIRS})
    qiot_record(REQUIRES ${_reg_REQUIRES})
    qiot_record(PRIV_REQUIRES ${_reg_PRIV_REQUIRES})
    qiot_record(REGISTERED 1)
endmacro()

# What a component adds to its library after registering it: PUBLIC and
# INTERFACE items reach the components that require it, PRIVATE ones not.
function(qiot_record_scoped recorder public_key private_key)
    cmake_parse_arguments(_s "BEFORE;SYSTEM" "" "PUBLIC;PRIVATE;INTERFACE" ${ARGN})
    cmake_language(CALL ${recorder} ${public_key} ${_s_PUBLIC} ${_s_INTERFACE})
    cmake_language(CALL ${recorder} ${private_key} ${_s_PRIVATE})
endfunction()

function(target_compile_options target)
    qiot_record_scoped(qiot_record PUBLIC_OPTIONS PRIVATE_OPTIONS ${ARGN})
endfunction()

function(target_compile_definitions target)
    qiot_record_scoped(qiot_record PUBLIC_DEFINITIONS PRIVATE_DEFINITIONS ${ARGN})
endfunction()

function(target_include_directories target)
    qiot_record_scoped(qiot_record_paths INCLUDE_DIRS PRIV_INCLUDE_DIRS ${ARGN})
endfunction()

include("${COMPONENT_DIR}/${FILE}")
