# ESP32 port: the parts that build without ESP-IDF, compiled and tested with
# the host compiler. The ESP-IDF project itself is built with idf.py
# (firmware/ports/esp32/README.md); nothing in `make test` needs ESP-IDF.
# check-esp32-idf compiles the port against an ESP-IDF tree given by hand.
# Included by firmware/firmware.mk (BUILD is set by the top-level Makefile).

ESP32_DIR := firmware/ports/esp32
ESP32_BUILD := $(BUILD)/firmware/esp32
# Size column of the "qiot" row of partitions.csv.
ESP32_QIOT_PARTITION_SIZE = $(shell awk -F, '$$1 ~ /^qiot[ ]*$$/ { gsub(/[ ]/, "", $$5); print $$5 }' $(ESP32_DIR)/partitions.csv)

# Espressif's Kconfig tooling (PyPI), pinned, for kconfcheck on Kconfig.projbuild.
ESP32_KCONFIG_VERSION := 3.14.0
ESP32_KCONFIG_VENV := $(BUILD)/esp32-kconfig-venv
ESP32_KCONFIG_STAMP := $(ESP32_KCONFIG_VENV)/.esp-idf-kconfig-$(ESP32_KCONFIG_VERSION)

.PHONY: test-esp32

# Also: sdkconfig.defaults* values within ESP-IDF's ranges and partitions.csv
# valid (test/sdkconfig_test.py), and main/'s component requirements per
# ESP-IDF version (main/qiot_requires.cmake, run by cmake -P).
test-esp32: $(ESP32_BUILD)/flash_layout_test $(ESP32_KCONFIG_STAMP)
	$<
	$(ESP32_KCONFIG_VENV)/bin/python -m kconfcheck $(ESP32_DIR)/main/Kconfig.projbuild
	python3 $(ESP32_DIR)/test/sdkconfig_test.py
	scripts/need-debian.sh cmake cmake
	cmake -P $(ESP32_DIR)/test/requires_test.cmake

$(ESP32_KCONFIG_STAMP):
	python3 -m venv $(ESP32_KCONFIG_VENV)
	$(ESP32_KCONFIG_VENV)/bin/python -m pip install --quiet --disable-pip-version-check esp-idf-kconfig==$(ESP32_KCONFIG_VERSION)
	@touch $@

$(ESP32_BUILD)/flash_layout_test: $(ESP32_DIR)/test/flash_layout_test.c $(ESP32_DIR)/main/flash_layout.c \
    $(ESP32_DIR)/main/flash_layout.h firmware/core/qiot_config.h $(ESP32_DIR)/partitions.csv
	@mkdir -p $(dir $@)
	@test -n "$(ESP32_QIOT_PARTITION_SIZE)" || { echo "no qiot partition in $(ESP32_DIR)/partitions.csv" >&2; exit 1; }
	$(CC) -std=c11 -O2 -Wall -Wextra -Werror -I$(ESP32_DIR)/main -Ifirmware/core \
	  -DQIOT_PARTITION_SIZE=$(ESP32_QIOT_PARTITION_SIZE) -o $@ $(filter %.c,$^)

# Stack use without tail calls, the closest measurable stand-in for Xtensa's
# windowed ABI (sizes CONFIG_QIOT_TASK_STACK_BYTES there): the rv32 bench ELF
# rebuilt with -fno-optimize-sibling-calls, measured under QEMU by the rv32
# budgets tool. Uses rv32.mk's variables and rules.
.PHONY: esp32-stack-proxy
esp32-stack-proxy: runtime wasm3-sources
	$(MAKE) RV32_BUILD=$(BUILD)/firmware/rv32-nosib RV32_OBJ=$(BUILD)/firmware/rv32-nosib/obj \
	  RV32_ARCH="$(RV32_ARCH) -fno-optimize-sibling-calls" $(BUILD)/firmware/rv32-nosib/qiot-bench.elf
	npx tsx bench/rv32-budgets.ts --bench-elf $(BUILD)/firmware/rv32-nosib/qiot-bench.elf

# Every C file of main/, the core and wasm3 compiled to objects against the
# ESP-IDF tree at IDF_PATH (headers, Kconfig, component requirements, default
# warning flags: test/idf_compile_check.py) with Debian's RISC-V gcc for the
# ESP32-C3. Not part of `make test`: it needs an ESP-IDF tree, which CI does
# not have. IDF_TARGET: esp32c3 (the only target Debian's compiler serves).
IDF_TARGET ?= esp32c3
.PHONY: check-esp32-idf
check-esp32-idf:
	@test -n "$(IDF_PATH)" || { echo "check-esp32-idf: IDF_PATH is not set; give an ESP-IDF tree (v5.1-v6.x): make check-esp32-idf IDF_PATH=/path/to/esp-idf" >&2; exit 2; }
	@test -f "$(IDF_PATH)/tools/cmake/version.cmake" || { echo "check-esp32-idf: $(IDF_PATH) is not an ESP-IDF tree (no tools/cmake/version.cmake)" >&2; exit 2; }
	$(MAKE) --no-print-directory $(ESP32_KCONFIG_STAMP) wasm3-sources rv32-toolchain
	test -f /usr/include/newlib/newlib.h || scripts/need-debian.sh /nonexistent-force-install libnewlib-dev
	scripts/need-debian.sh cmake cmake
	python3 $(ESP32_DIR)/test/idf_compile_check.py --idf-path "$(IDF_PATH)" --target $(IDF_TARGET) \
	  --kconfig-python $(ESP32_KCONFIG_VENV)/bin/python --wasm3-dir $(WASM3_SRC_DIR)
