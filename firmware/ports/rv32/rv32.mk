# rv32 board: bare-metal rv32imac firmware for qemu-system-riscv32 -M virt.
# Included by the top-level Makefile (BUILD is set there).

RV32_DIR := firmware/ports/rv32
RV32_BUILD := $(BUILD)/firmware/rv32
RV32_CC := riscv64-unknown-elf-gcc
# -march stays rv32imac: rv32imac_zicsr selects the wrong picolibc multilib
# (CSR instructions enable zicsr locally, see csr.h).
RV32_ARCH := -march=rv32imac -mabi=ilp32 -mcmodel=medany
RV32_CFLAGS := --specs=picolibc.specs --crt0=hosted $(RV32_ARCH) -O2 -std=c11 \
  -ffunction-sections -fdata-sections -Wall -Wextra -I$(RV32_DIR)
RV32_LDFLAGS := -T $(RV32_DIR)/rv32.ld -L$(RV32_DIR) -Wl,--gc-sections
RV32_PORT_SOURCES := $(addprefix $(RV32_DIR)/,uart.c system.c pflash.c)
RV32_PORT_HEADERS := $(wildcard $(RV32_DIR)/*.h) $(RV32_DIR)/rv32.ld

.PHONY: rv32-toolchain rv32-hello

# Debian's cross compiler, picolibc and QEMU; installed when missing.
rv32-toolchain:
	@command -v $(RV32_CC) >/dev/null && command -v qemu-system-riscv32 >/dev/null \
	  && test -f /usr/lib/picolibc/riscv64-unknown-elf/picolibc.specs \
	  || { apt-get update && apt-get install -y gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf qemu-system-misc; }

rv32-hello: $(RV32_BUILD)/hello.elf

$(RV32_BUILD)/hello.elf: $(RV32_DIR)/hello.c $(RV32_PORT_SOURCES) $(RV32_PORT_HEADERS) | rv32-toolchain
	@mkdir -p $(dir $@)
	$(RV32_CC) $(RV32_CFLAGS) $(RV32_LDFLAGS) -o $@ $(RV32_DIR)/hello.c $(RV32_PORT_SOURCES) -lm
