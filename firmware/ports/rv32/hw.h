/* QEMU `virt` machine addresses used by the rv32 port. */
#ifndef QIOT_RV32_HW_H
#define QIOT_RV32_HW_H

#include <stdint.h>

#define RV32_UART0_BASE 0x10000000u      /* ns16550a, registers 1 byte apart */
#define RV32_CLINT_MTIME 0x0200bff8u     /* 64-bit mtime of the ACLINT */
#define RV32_CLINT_MTIMECMP0 0x02004000u /* hart 0's 64-bit mtimecmp */
#define RV32_PLIC_BASE 0x0c000000u
#define RV32_PLIC_PRIORITY(source) (RV32_PLIC_BASE + 4u * (source))
#define RV32_PLIC_ENABLE_CTX0 (RV32_PLIC_BASE + 0x2000u) /* context 0 = hart 0, M-mode */
#define RV32_PLIC_THRESHOLD_CTX0 (RV32_PLIC_BASE + 0x200000u)
#define RV32_PLIC_CLAIM_CTX0 (RV32_PLIC_BASE + 0x200004u)
#define RV32_UART0_IRQ 10u
#define RV32_MTIME_HZ 10000000u      /* virt's timebase-frequency */
#define RV32_TEST_DEVICE 0x00100000u /* sifive_test finisher */
#define RV32_TEST_PASS 0x5555u
#define RV32_TEST_FAIL 0x3333u /* | exit code << 16 */
#define RV32_TEST_RESET 0x7777u
/* Reset-cause note (watchdog.c): the word just past rv32.ld's 320 KiB RAM
 * window, inside QEMU's DRAM (128 MiB by default), never loaded or cleared. */
#define RV32_RESET_NOTE 0x80450000u
#define RV32_PFLASH1_BASE 0x22000000u /* cfi.pflash01, unit 1 (unit 0 would take over the boot) */
#define RV32_PFLASH_SECTOR 0x40000u   /* 256 KiB erase blocks */
#define RV32_PFLASH_SIZE 0x2000000u   /* 32 MiB per unit */

static inline void rv32_mmio_write32(uintptr_t addr, uint32_t value) { *(volatile uint32_t *)addr = value; }
static inline uint32_t rv32_mmio_read32(uintptr_t addr) { return *(volatile uint32_t *)addr; }
static inline void rv32_mmio_write8(uintptr_t addr, uint8_t value) { *(volatile uint8_t *)addr = value; }
static inline uint8_t rv32_mmio_read8(uintptr_t addr) { return *(volatile uint8_t *)addr; }

#endif
