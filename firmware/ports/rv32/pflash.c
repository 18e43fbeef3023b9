#include "pflash.h"

#include <string.h>

#include "hw.h"

/* Commands go out on the full 32-bit bus: QEMU's virt flash is two 16-bit
 * chips side by side, each sees the command byte. */
enum {
    CMD_READ_ARRAY = 0xff,
    CMD_CLEAR_STATUS = 0x50,
    CMD_BLOCK_ERASE = 0x20,
    CMD_CONFIRM = 0xd0,
    CMD_WORD_PROGRAM = 0x40,
};
enum {
    STATUS_READY = 0x80,
    STATUS_ERROR_BITS = 0x3a, /* erase, program, vpp and lock errors */
};

static uint32_t repeat_byte(uint8_t value) { return 0x01010101u * value; }

/* Polls the status register until the chip is ready; true when no error bit
 * is set. The chip stays in status mode (reads return status, not data). */
static bool wait_ready(uintptr_t address) {
    uint32_t status;
    do {
        status = rv32_mmio_read32(address);
    } while ((status & STATUS_READY) == 0);
    return (status & STATUS_ERROR_BITS) == 0;
}

/* Back to plain memory reads. QEMU switches the flash between memory and I/O
 * mode on every such transition, which is slow, so a whole program run stays
 * in command mode and returns here once. */
static void read_array_mode(uintptr_t address) {
    rv32_mmio_write32(address, repeat_byte(CMD_CLEAR_STATUS));
    rv32_mmio_write32(address, repeat_byte(CMD_READ_ARRAY));
}

bool rv32_pflash_erase(uintptr_t block) {
    if (block % RV32_PFLASH_SECTOR != 0) return false;
    rv32_mmio_write32(block, repeat_byte(CMD_BLOCK_ERASE));
    rv32_mmio_write32(block, repeat_byte(CMD_CONFIRM));
    bool ok = wait_ready(block);
    read_array_mode(block);
    return ok;
}

bool rv32_pflash_program(uintptr_t address, const uint8_t *data, size_t len) {
    if (len == 0) return true;
    const uintptr_t first = address & ~(uintptr_t)3;
    const uintptr_t last = (address + len - 1) & ~(uintptr_t)3;
    /* Partial words keep their other bytes: read them while still in array mode. */
    const uint32_t head = rv32_mmio_read32(first);
    const uint32_t tail = rv32_mmio_read32(last);
    bool ok = true;
    for (uintptr_t word = first; word <= last && ok; word += 4) {
        uint32_t value = word == first ? head : word == last ? tail : 0;
        const uintptr_t from = word < address ? address : word;
        const uintptr_t to = word + 4 < address + len ? word + 4 : address + len;
        memcpy((uint8_t *)&value + (from - word), data + (from - address), to - from);
        rv32_mmio_write32(word, repeat_byte(CMD_WORD_PROGRAM));
        rv32_mmio_write32(word, value);
        ok = wait_ready(word);
    }
    read_array_mode(first);
    return ok;
}
