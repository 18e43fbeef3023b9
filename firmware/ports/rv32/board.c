/* board.h for the rv32 board: UART0 for the link, the CLINT for time, and
 * pflash unit 1 (0x22000000) for the module store, which QEMU keeps in the
 * image file across restarts. Flash layout, one 256 KiB erase block each:
 *   block 0: slot 0   block 1: slot 1   block 2: record copy 0   block 3: record copy 1
 *   block 4: key record copy 0   block 5: key record copy 1 (docs/security.md) */
#include "board.h"

#include <string.h>

#include "hw.h"
#include "idle.h"
#include "pflash.h"
#include "protocol.h"
#include "qiot_config.h"
#include "system.h"
#include "uart.h"
#include "watchdog.h"

#define STORE_BASE RV32_PFLASH1_BASE
#define SLOT_BLOCK(slot) (STORE_BASE + (uintptr_t)(slot)*RV32_PFLASH_SECTOR)
#define RECORD_BLOCK(copy) (STORE_BASE + (uintptr_t)(QIOT_SLOT_COUNT + (copy)) * RV32_PFLASH_SECTOR)
#define KEYS_BLOCK(copy) (STORE_BASE + (uintptr_t)(QIOT_SLOT_COUNT + QIOT_RECORD_COPIES + (copy)) * RV32_PFLASH_SECTOR)

_Static_assert(QIOT_SLOT_SIZE <= RV32_PFLASH_SECTOR, "a slot must fit one erase block");
_Static_assert(QIOT_RECORD_SIZE <= RV32_PFLASH_SECTOR, "a record must fit one erase block");
_Static_assert(QIOT_KEYS_RECORD_SIZE <= RV32_PFLASH_SECTOR, "a key record must fit one erase block");
_Static_assert((QIOT_SLOT_COUNT + QIOT_RECORD_COPIES + QIOT_KEYS_COPIES) * RV32_PFLASH_SECTOR <= RV32_PFLASH_SIZE,
               "the store must fit pflash unit 1");

int board_serial_read(uint8_t *buf, size_t cap, uint32_t timeout_ms) {
    if (cap == 0) return 0;
    const uint64_t deadline = rv32_mtime() + (uint64_t)timeout_ms * (RV32_MTIME_HZ / 1000u);
    size_t got = 0;
    while (!rv32_uart_try_read(&buf[0])) {
        if (rv32_mtime() >= deadline) return 0;
        rv32_idle_until(deadline);
    }
    got = 1;
    while (got < cap && rv32_uart_try_read(&buf[got])) got++;
    return (int)got;
}

void board_serial_write(const uint8_t *buf, size_t len) { rv32_uart_write(buf, len); }

uint64_t board_time_us(void) { return rv32_mtime() / (RV32_MTIME_HZ / 1000000u); }

static bool valid_slot(int slot) { return slot >= 0 && slot < QIOT_SLOT_COUNT; }
static bool valid_copy(int copy) { return copy >= 0 && copy < QIOT_RECORD_COPIES; }

const uint8_t *board_slot_map(int slot) { return valid_slot(slot) ? (const uint8_t *)SLOT_BLOCK(slot) : NULL; }

bool board_slot_erase(int slot) { return valid_slot(slot) && rv32_pflash_erase(SLOT_BLOCK(slot)); }

bool board_slot_write(int slot, uint32_t offset, const uint8_t *data, size_t len) {
    if (!valid_slot(slot) || offset > QIOT_SLOT_SIZE || len > QIOT_SLOT_SIZE - offset) return false;
    return rv32_pflash_program(SLOT_BLOCK(slot) + offset, data, len);
}

bool board_record_read(int copy, uint8_t *buf, size_t len) {
    if (!valid_copy(copy) || len > QIOT_RECORD_SIZE) return false;
    memcpy(buf, (const void *)RECORD_BLOCK(copy), len);
    return true;
}

bool board_record_write(int copy, const uint8_t *buf, size_t len) {
    if (!valid_copy(copy) || len > QIOT_RECORD_SIZE) return false;
    return rv32_pflash_erase(RECORD_BLOCK(copy)) && rv32_pflash_program(RECORD_BLOCK(copy), buf, len);
}

static bool valid_keys_copy(int copy) { return copy >= 0 && copy < QIOT_KEYS_COPIES; }

bool board_keys_read(int copy, uint8_t *buf, size_t len) {
    if (!valid_keys_copy(copy) || len > QIOT_KEYS_RECORD_SIZE) return false;
    memcpy(buf, (const void *)KEYS_BLOCK(copy), len);
    return true;
}

bool board_keys_write(int copy, const uint8_t *buf, size_t len) {
    if (!valid_keys_copy(copy) || len > QIOT_KEYS_RECORD_SIZE) return false;
    return rv32_pflash_erase(KEYS_BLOCK(copy)) && rv32_pflash_program(KEYS_BLOCK(copy), buf, len);
}

void board_reset(void) { rv32_reset_noting(RESET_CAUSE_REQUEST); }

/* The watchdog is armed per module call (watchdog.c); the UART is polled by
 * the core itself. */
void board_idle(void) {}

const char *board_name(void) { return "rv32-qemu-virt"; }
