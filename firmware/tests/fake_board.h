/* An in-memory board for the tests: flash-like slots and records, captured
 * serial output, a clock that advances 1000 µs per reading. */
#ifndef QIOT_FAKE_BOARD_H
#define QIOT_FAKE_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "frame.h"
#include "qiot_config.h"

/* Erases slots and records (0xFF) and clears the captured output. */
void fake_board_wipe(void);
/* The next record write stores only its first `bytes` bytes, then fails, as
 * a power cut mid-write would. */
void fake_board_tear_next_record_write(size_t bytes);
/* Flips one byte of a record copy in place. */
void fake_board_corrupt_record(int copy, size_t offset);
uint32_t fake_board_record_writes(int copy);
/* Saves slots and records; restore puts them back (the fuzzers' boot state). */
void fake_board_save(void);
void fake_board_restore(void);

/* What board_reset_cause() answers from now on (enum qiot_reset_cause). */
void fake_board_set_reset_cause(uint8_t cause);
/* The watchdog's bound while armed (0 when disarmed), and how often it was armed. */
uint32_t fake_board_watchdog_ms(void);
uint32_t fake_board_watchdog_arms(void);

/* Serial output captured since the last fake_board_take_output(). */
typedef struct {
    int error; /* ERR_NONE for a frame */
    uint8_t type;
    uint16_t seq;
    uint16_t length;
    uint8_t payload[QIOT_MAX_PAYLOAD];
} out_frame_t;

/* Decodes the captured bytes into frames (at most cap) and clears them. */
size_t fake_board_take_output(out_frame_t *frames, size_t cap);

#endif
