# rv32 board: bare-metal rv32imac firmware for qemu-system-riscv32 -M virt
# (docs/rv32.md). Included by the top-level Makefile after firmware/firmware.mk,
# whose WASM3_SRC_DIR, WASM3_SOURCES, CORE_SOURCES, CORE_INCLUDES,
# QIOT_M3_CONFIG and wasm3-sources it uses unchanged.
#   firmware-rv32  → $(BUILD)/firmware/rv32/qiot-board.elf  (the board)
#   rv32-bench     → $(BUILD)/firmware/rv32/qiot-bench.elf  (budgets, docs/rv32.md)
#   rv32-budgets   runs the bench and the board under QEMU, prints the budgets
# The plain-C reference kernel (firmware/reference) is built natively by bench.mk.

RV32_DIR := firmware/ports/rv32
RV32_BUILD := $(BUILD)/firmware/rv32
RV32_OBJ := $(RV32_BUILD)/obj
REFERENCE_DIR := firmware/reference
RV32_CC := riscv64-unknown-elf-gcc
RV32_SIZE := riscv64-unknown-elf-size
# -march stays rv32imac: rv32imac_zicsr selects the wrong picolibc multilib
# (CSR instructions enable zicsr locally, see csr.h). The C3 itself is rv32imc:
# no exact multilib exists, and the A extension is unused by this code.
RV32_ARCH := -march=rv32imac -mabi=ilp32 -mcmodel=medany
# wasm3 value stack: the bench's all-paths probe (every ansatz × cost ×
# optimizer × shots mode) reaches 1 472 B; 4 KiB keeps a 2.8× margin, saves
# 4 KiB of the C3's RAM budget, and an overflow is a clean wasm3 trap.
RV32_WASM_STACK_BYTES := 4096
RV32_BASE_CFLAGS := --specs=picolibc.specs --crt0=hosted $(RV32_ARCH) -O2 \
  -ffunction-sections -fdata-sections -MMD -MP -DQIOT_WASM_STACK_BYTES=$(RV32_WASM_STACK_BYTES) \
  -I$(RV32_DIR) -I$(REFERENCE_DIR) $(CORE_INCLUDES) \
  -include $(QIOT_M3_CONFIG)
RV32_CFLAGS := $(RV32_BASE_CFLAGS) -std=c11 -Wall -Wextra
# wasm3 is built as shipped (GNU C, its own warnings are not ours to fix).
RV32_WASM3_CFLAGS := $(RV32_BASE_CFLAGS) -std=gnu11 -w
# Recursive (=): the map file is named after the target being linked.
RV32_LDFLAGS = -T $(RV32_DIR)/rv32.ld -L$(RV32_DIR) -Wl,--gc-sections -Wl,--Map=$(basename $@).map

RV32_PORT_SOURCES := $(addprefix $(RV32_DIR)/,uart.c system.c pflash.c idle.c watchdog.c)
RV32_BOARD_SOURCES := $(RV32_PORT_SOURCES) $(RV32_DIR)/board.c $(RV32_DIR)/main.c
RV32_BENCH_SOURCES := $(RV32_PORT_SOURCES) $(RV32_DIR)/bench.c $(RV32_DIR)/bench_config.c $(RV32_DIR)/bench_probe.c \
  $(REFERENCE_DIR)/qref.c $(REFERENCE_DIR)/qref_q30.c
RV32_LIB_SOURCES := $(CORE_SOURCES) $(WASM3_SOURCES)

rv32_objects = $(patsubst %.c,$(RV32_OBJ)/%.o,$(1))
RV32_BOARD_OBJECTS := $(call rv32_objects,$(RV32_BOARD_SOURCES) $(RV32_LIB_SOURCES))
# The board compiles module functions on their first call (qiot_config.h
# QIOT_COMPILE_AT_LOAD=0): a run's RAM holds the code it uses, not every
# optimizer, cost and sampler of the module (docs/rv32.md). The bench ELF
# compiles everything at load, so its per-step instruction counts hold no
# compile work and its heap figure is the every-function bound.
RV32_RUNNER_OBJ := $(RV32_OBJ)/$(FW_DIR)/core/runner.o
RV32_BENCH_RUNNER_OBJ := $(RV32_OBJ)/bench/runner.o
$(RV32_RUNNER_OBJ): RV32_CFLAGS += -DQIOT_COMPILE_AT_LOAD=0
RV32_BENCH_OBJECTS := $(filter-out $(RV32_RUNNER_OBJ),$(call rv32_objects,$(RV32_BENCH_SOURCES) $(RV32_LIB_SOURCES))) \
  $(RV32_BENCH_RUNNER_OBJ) $(RV32_OBJ)/module_blob.o

.PHONY: firmware-rv32 rv32-bench rv32-budgets rv32-toolchain

firmware-rv32: $(RV32_BUILD)/qiot-board.elf
rv32-bench: $(RV32_BUILD)/qiot-bench.elf

# Debian's cross compiler, picolibc and QEMU; installed when missing.
rv32-toolchain:
	@command -v $(RV32_CC) >/dev/null && command -v qemu-system-riscv32 >/dev/null \
	  && test -f /usr/lib/picolibc/riscv64-unknown-elf/picolibc.specs \
	  || scripts/need-debian.sh /nonexistent-force-install gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf qemu-system-misc

$(RV32_OBJ)/$(WASM3_SRC_DIR)/%.o: $(WASM3_SRC_DIR)/%.c | rv32-toolchain wasm3-sources
	@mkdir -p $(dir $@)
	$(RV32_CC) $(RV32_WASM3_CFLAGS) -c $< -o $@

$(RV32_OBJ)/%.o: %.c | rv32-toolchain wasm3-sources
	@mkdir -p $(dir $@)
	$(RV32_CC) $(RV32_CFLAGS) -c $< -o $@

$(RV32_BENCH_RUNNER_OBJ): $(FW_DIR)/core/runner.c | rv32-toolchain wasm3-sources
	@mkdir -p $(dir $@)
	$(RV32_CC) $(RV32_CFLAGS) -DQIOT_COMPILE_AT_LOAD=1 -c $< -o $@

# The module is assembled in with .incbin (read-only, stays in flash).
$(RV32_OBJ)/module_blob.o: $(RV32_DIR)/module_blob.S $(BUILD)/qiot.wasm | rv32-toolchain
	@mkdir -p $(dir $@)
	$(RV32_CC) $(RV32_ARCH) -DQIOT_MODULE_PATH='"$(BUILD)/qiot.wasm"' -c $< -o $@

$(RV32_BUILD)/qiot-board.elf: $(RV32_BOARD_OBJECTS) $(RV32_DIR)/rv32.ld
	$(RV32_CC) $(RV32_BASE_CFLAGS) $(RV32_LDFLAGS) -o $@ $(RV32_BOARD_OBJECTS) -lm
	$(RV32_SIZE) $@

$(RV32_BUILD)/qiot-bench.elf: $(RV32_BENCH_OBJECTS) $(RV32_DIR)/rv32.ld
	$(RV32_CC) $(RV32_BASE_CFLAGS) $(RV32_LDFLAGS) -o $@ $(RV32_BENCH_OBJECTS) -lm

rv32-budgets: firmware-rv32 rv32-bench runtime
	npx tsx bench/rv32-budgets.ts

-include $(shell find $(RV32_OBJ) -name '*.d' 2>/dev/null)
