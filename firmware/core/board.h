/* The board interface: everything a port implements. The core calls nothing
 * else that is board specific. */
#ifndef QIOT_BOARD_H
#define QIOT_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Serial link. Returns the number of bytes read (0 when none arrived within
 * timeout_ms) or a negative value when the link is gone. */
int board_serial_read(uint8_t *buf, size_t cap, uint32_t timeout_ms);
/* Writes all bytes (blocking). */
void board_serial_write(const uint8_t *buf, size_t len);

/* Monotonic time in microseconds. */
uint64_t board_time_us(void);

/* Module slots: QIOT_SLOT_COUNT slots of QIOT_SLOT_SIZE bytes each.
 * board_slot_map returns read access to a slot's bytes that stays valid for
 * the life of the process: wasm3 keeps pointing into the module bytes. */
const uint8_t *board_slot_map(int slot);
bool board_slot_erase(int slot);
bool board_slot_write(int slot, uint32_t offset, const uint8_t *data, size_t len);

/* Commit-record storage: QIOT_RECORD_COPIES copies of QIOT_RECORD_SIZE bytes,
 * written one copy at a time so a torn write leaves the other copy valid. */
bool board_record_read(int copy, uint8_t *buf, size_t len);
bool board_record_write(int copy, const uint8_t *buf, size_t len);

/* Key-record storage (docs/security.md): QIOT_KEYS_COPIES copies of
 * QIOT_KEYS_RECORD_SIZE bytes, written one copy at a time like the commit
 * record. Erased storage reads as 0xFF (an unprovisioned board). */
bool board_keys_read(int copy, uint8_t *buf, size_t len);
bool board_keys_write(int copy, const uint8_t *buf, size_t len);

/* Restarts the board (slots survive). May return: the core then boots again
 * in place (the posix board does). */
void board_reset(void);

/* Watchdog around each call into the module (docs/reliability.md
 * "Watchdog"): armed for `ms` right before the call, disarmed right after.
 * A call still running when it expires resets the board, which then reports
 * RESET_CAUSE_WATCHDOG. The bound is the core's (QIOT_WATCHDOG_MS); a port
 * whose watchdog has a fixed timeout (the ESP-IDF task watchdog) feeds it. */
void board_watchdog_arm(uint32_t ms);
void board_watchdog_disarm(void);

/* Why the board last started: enum qiot_reset_cause (protocol.h). Asked once
 * per boot by core_init. */
uint8_t board_reset_cause(void);

/* Hook called once per main-loop pass, between training steps and after each
 * idle serial poll (watchdog feeding etc.); may do nothing. */
void board_idle(void);

const char *board_name(void);

#endif
