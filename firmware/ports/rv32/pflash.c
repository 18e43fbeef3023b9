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

static bool wait_ready(uintptr_t address) {
  uint32_t status;
  do {
    status = rv32_mmio_read32(address);
  } while ((status & STATUS_READY) == 0);
  bool ok = (status & STATUS_ERROR_BITS) == 0;
  rv32_mmio_write32(address, repeat_byte(CMD_CLEAR_STATUS));
  rv32_mmio_write32(address, repeat_byte(CMD_READ_ARRAY));
  return ok;
}

bool rv32_pflash_erase(uintptr_t block) {
  if (block % RV32_PFLASH_SECTOR != 0) return false;
  rv32_mmio_write32(block, repeat_byte(CMD_BLOCK_ERASE));
  rv32_mmio_write32(block, repeat_byte(CMD_CONFIRM));
  return wait_ready(block);
}

static bool program_word(uintptr_t address, uint32_t value) {
  rv32_mmio_write32(address, repeat_byte(CMD_WORD_PROGRAM));
  rv32_mmio_write32(address, value);
  return wait_ready(address);
}

bool rv32_pflash_program(uintptr_t address, const uint8_t *data, size_t len) {
  while (len > 0) {
    uintptr_t word_address = address & ~(uintptr_t)3;
    size_t skip = address - word_address;
    size_t take = 4 - skip < len ? 4 - skip : len;
    uint32_t word = rv32_mmio_read32(word_address);
    memcpy((uint8_t *)&word + skip, data, take);
    if (!program_word(word_address, word)) return false;
    address += take;
    data += take;
    len -= take;
  }
  return true;
}
