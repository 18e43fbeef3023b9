#include "core.h"

#include <string.h>

#include "board.h"
#include "bytes.h"
#include "protocol.h"
#include "text.h"

void core_send(qiot_core_t *c, uint8_t type, uint16_t seq, const uint8_t *payload, size_t len) {
    size_t n = frame_encode(type, seq, payload, len, c->tx);
    if (n) board_serial_write(c->tx, n);
}

static size_t text_payload(uint8_t *out, size_t room, const char *text) {
    size_t n = text ? strlen(text) : 0;
    if (n > room) n = room;
    if (n) memcpy(out, text, n);
    return n;
}

void core_send_error(qiot_core_t *c, uint16_t seq, int code, const char *text) {
    uint8_t payload[2 + QIOT_MAX_TEXT];
    put_u16(payload, (uint16_t)code);
    size_t n = text_payload(payload + 2, QIOT_MAX_TEXT, text);
    core_send(c, MSG_ERROR, seq, payload, 2 + n);
}

void core_send_ok(qiot_core_t *c, uint16_t seq, const uint8_t *payload, size_t len) {
    core_send(c, MSG_OK, seq, payload, len);
}

void core_send_log(qiot_core_t *c, uint8_t level, const char *text) {
    uint8_t payload[1 + QIOT_MAX_TEXT];
    payload[0] = level;
    size_t n = text_payload(payload + 1, QIOT_MAX_TEXT, text);
    core_send(c, MSG_LOG, 0, payload, 1 + n);
}

bool core_load_active(qiot_core_t *c) {
    c->config_written = false;
    c->initialised = false;
    runner_unload(&c->runner);
    uint32_t size = 0;
    const uint8_t *bytes = store_active_module(&c->store, &size);
    if (!bytes) return false;
    char err[QIOT_MAX_TEXT];
    if (runner_load(&c->runner, bytes, size, err, sizeof err) != ERR_NONE) {
        core_send_log(c, LOG_ERROR, err);
        return false;
    }
    return true;
}

void core_init(qiot_core_t *c) {
    memset(c, 0, sizeof *c);
    frame_decoder_init(&c->decoder, false);
    ring_init(&c->ring);
    store_init(&c->store);
    core_load_active(c);
}

void core_teardown(qiot_core_t *c) { runner_unload(&c->runner); }

static void answer_decode_error(qiot_core_t *c, const frame_event_t *ev) {
    static const char *const texts[] = {
        [ERR_BAD_CRC] = "CRC mismatch",
        [ERR_BAD_FRAME] = "malformed COBS or frame shorter than header + CRC",
        [ERR_OVERSIZE] = "frame exceeds 1024 payload bytes (1040 encoded bytes)",
        [ERR_BAD_LENGTH] = "length field differs from the payload length",
    };
    char text[QIOT_MAX_TEXT];
    if (ev->error == ERR_PROTOCOL_VERSION) {
        text_set(text, sizeof text, "frame protocol version ");
        text_append_uint(text, sizeof text, ev->version);
        text_append(text, sizeof text, ", board speaks version ");
        text_append_uint(text, sizeof text, QIOT_PROTOCOL_VERSION);
    } else {
        bool known = ev->error > 0 && (size_t)ev->error < sizeof texts / sizeof texts[0] && texts[ev->error];
        text_set(text, sizeof text, known ? texts[ev->error] : "");
    }
    core_send_error(c, ev->seq, ev->error, text);
}

void core_feed(qiot_core_t *c, const uint8_t *bytes, size_t len) {
    frame_event_t ev;
    for (size_t i = 0; i < len; i++) {
        if (!frame_decoder_push(&c->decoder, bytes[i], &ev)) continue;
        if (ev.error != ERR_NONE) answer_decode_error(c, &ev);
        else dispatch_frame(c, &ev.frame);
        if (c->reset_requested) return;
    }
}

void core_poll(qiot_core_t *c) {
    if (c->training) train_step(c);
}

int qiot_main(void) {
    static qiot_core_t core;
    uint8_t buf[QIOT_SERIAL_CHUNK];
    for (;;) {
        core_init(&core);
        while (!core.reset_requested) {
            int n = board_serial_read(buf, sizeof buf, core.training ? 0 : QIOT_IDLE_POLL_MS);
            if (n < 0) {
                core_teardown(&core);
                return 0;
            }
            core_feed(&core, buf, (size_t)n);
            core_poll(&core);
            board_idle();
        }
        core_teardown(&core);
        board_reset();
    }
}
