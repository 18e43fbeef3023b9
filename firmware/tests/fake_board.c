#include "fake_board.h"

#include <string.h>

#include "board.h"
#include "protocol.h"

static uint8_t slots[QIOT_SLOT_COUNT][QIOT_SLOT_SIZE];
static uint8_t records[QIOT_RECORD_COPIES][QIOT_RECORD_SIZE];
static uint32_t record_writes[QIOT_RECORD_COPIES];
static uint8_t key_records[QIOT_KEYS_COPIES][QIOT_KEYS_RECORD_SIZE];
static long tear_after = -1;
static uint8_t output[256 * 1024];
static size_t output_len;
static uint64_t clock_us;
static uint8_t reset_cause;

void fake_board_wipe(void) {
    memset(slots, 0xFF, sizeof slots);
    memset(records, 0xFF, sizeof records);
    memset(record_writes, 0, sizeof record_writes);
    memset(key_records, 0xFF, sizeof key_records);
    tear_after = -1;
    output_len = 0;
    reset_cause = 0;
}

void fake_board_tear_next_record_write(size_t bytes) { tear_after = (long)bytes; }

void fake_board_corrupt_record(int copy, size_t offset) { records[copy][offset] ^= 0x5A; }

uint32_t fake_board_record_writes(int copy) { return record_writes[copy]; }

static uint8_t saved_slots[QIOT_SLOT_COUNT][QIOT_SLOT_SIZE];
static uint8_t saved_records[QIOT_RECORD_COPIES][QIOT_RECORD_SIZE];

void fake_board_save(void) {
    memcpy(saved_slots, slots, sizeof slots);
    memcpy(saved_records, records, sizeof records);
}

void fake_board_restore(void) {
    memcpy(slots, saved_slots, sizeof slots);
    memcpy(records, saved_records, sizeof records);
    output_len = 0;
}

size_t fake_board_take_output(out_frame_t *frames, size_t cap) {
    static frame_decoder_t d;
    frame_decoder_init(&d, true);
    size_t n = 0;
    frame_event_t ev;
    for (size_t i = 0; i < output_len && n < cap; i++) {
        if (!frame_decoder_push(&d, output[i], &ev)) continue;
        out_frame_t *f = &frames[n++];
        f->error = ev.error;
        f->seq = ev.seq;
        f->type = ev.frame.type;
        f->length = ev.frame.length;
        if (ev.error == ERR_NONE && ev.frame.length) memcpy(f->payload, ev.frame.payload, ev.frame.length);
    }
    output_len = 0;
    return n;
}

int board_serial_read(uint8_t *buf, size_t cap, uint32_t timeout_ms) {
    (void)buf;
    (void)cap;
    (void)timeout_ms;
    return -1;
}

void board_serial_write(const uint8_t *buf, size_t len) {
    if (len > sizeof output - output_len) len = sizeof output - output_len;
    memcpy(output + output_len, buf, len);
    output_len += len;
}

uint64_t board_time_us(void) { return clock_us += 1000; }

const uint8_t *board_slot_map(int slot) { return slot >= 0 && slot < QIOT_SLOT_COUNT ? slots[slot] : NULL; }

bool board_slot_erase(int slot) {
    if (slot < 0 || slot >= QIOT_SLOT_COUNT) return false;
    memset(slots[slot], 0xFF, QIOT_SLOT_SIZE);
    return true;
}

bool board_slot_write(int slot, uint32_t offset, const uint8_t *data, size_t len) {
    if (slot < 0 || slot >= QIOT_SLOT_COUNT || offset > QIOT_SLOT_SIZE || len > QIOT_SLOT_SIZE - offset) return false;
    memcpy(slots[slot] + offset, data, len);
    return true;
}

bool board_record_read(int copy, uint8_t *buf, size_t len) {
    if (copy < 0 || copy >= QIOT_RECORD_COPIES || len > QIOT_RECORD_SIZE) return false;
    memcpy(buf, records[copy], len);
    return true;
}

bool board_record_write(int copy, const uint8_t *buf, size_t len) {
    if (copy < 0 || copy >= QIOT_RECORD_COPIES || len > QIOT_RECORD_SIZE) return false;
    record_writes[copy]++;
    if (tear_after >= 0) {
        memcpy(records[copy], buf, (size_t)tear_after < len ? (size_t)tear_after : len);
        tear_after = -1;
        return false;
    }
    memcpy(records[copy], buf, len);
    return true;
}

bool board_keys_read(int copy, uint8_t *buf, size_t len) {
    if (copy < 0 || copy >= QIOT_KEYS_COPIES || len > QIOT_KEYS_RECORD_SIZE) return false;
    memcpy(buf, key_records[copy], len);
    return true;
}

bool board_keys_write(int copy, const uint8_t *buf, size_t len) {
    if (copy < 0 || copy >= QIOT_KEYS_COPIES || len > QIOT_KEYS_RECORD_SIZE) return false;
    memcpy(key_records[copy], buf, len);
    return true;
}

static uint32_t watchdog_ms, watchdog_arms;
void fake_board_set_reset_cause(uint8_t cause) { reset_cause = cause; }
uint8_t board_reset_cause(void) { return reset_cause; }
void board_watchdog_arm(uint32_t ms) {
    watchdog_ms = ms;
    watchdog_arms++;
}
void board_watchdog_disarm(void) { watchdog_ms = 0; }
uint32_t fake_board_watchdog_ms(void) { return watchdog_ms; }
uint32_t fake_board_watchdog_arms(void) { return watchdog_arms; }
void board_reset(void) {}
void board_idle(void) {}
const char *board_name(void) { return "fake"; }
