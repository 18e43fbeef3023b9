/* Driver for QEMU virt's CFI flash (cfi.pflash01, Intel command set), the
 * persistent store of the rv32 board. Reads are plain memory reads. */
#ifndef QIOT_RV32_PFLASH_H
#define QIOT_RV32_PFLASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Erases the 256 KiB block that starts at `block` (block-aligned address). */
bool rv32_pflash_erase(uintptr_t block);
/* Programs `len` bytes at `address` (any alignment). Bytes outside the range
 * keep their value. Returns false when the device reports an error. */
bool rv32_pflash_program(uintptr_t address, const uint8_t *data, size_t len);

#endif
