#include "core.h"

#include <string.h>

#include "board.h"
#include "dispatch.h"
#include "handlers.h"
#include "protocol.h"
#include "reply.h"
#include "text.h"

void core_init(qiot_core_t *c) {
    memset(c, 0, sizeof *c);
    frame_decoder_init(&c->decoder, false);
    ring_init(&c->ring);
    store_init(&c->store);
    /* Trial boot: a module still pending when the board went down is not
     * trusted to boot; the previous one is (docs/reliability.md). */
    c->reset_cause = board_reset_cause();
    store_resolve_trial(&c->store, c->reset_cause);
    security_init(&c->security, board_time_us());
    state_load_module(c);
}

void core_teardown(qiot_core_t *c) { runner_unload(&c->runner); }

static void answer_decode_error(const frame_event_t *ev) {
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
    reply_error(ev->seq, ev->error, text);
}

size_t core_feed(qiot_core_t *c, const uint8_t *bytes, size_t len) {
    frame_event_t ev;
    for (size_t i = 0; i < len; i++) {
        if (!frame_decoder_push(&c->decoder, bytes[i], &ev)) continue;
        if (ev.error != ERR_NONE) answer_decode_error(&ev);
        else dispatch_frame(c, &ev.frame);
        if (c->reset_requested) return i + 1;
    }
    return len;
}

void core_poll(qiot_core_t *c) {
    if (c->training) train_step(c);
}

int qiot_main(void) {
    static qiot_core_t core;
    uint8_t buf[QIOT_SERIAL_CHUNK];
    size_t have = 0, used = 0; /* bytes read into buf, bytes of them fed */
    for (;;) {
        core_init(&core);
        while (!core.reset_requested) {
            if (used == have) {
                int n = board_serial_read(buf, sizeof buf, core.training && !core.run.paused ? 0 : QIOT_IDLE_POLL_MS);
                if (n < 0) {
                    core_teardown(&core);
                    return 0;
                }
                have = (size_t)n;
                used = 0;
            }
            /* Bytes after a RESET stay in buf for the rebooted core (a board
             * whose board_reset restarts the chip loses them with its RAM). */
            used += core_feed(&core, buf + used, have - used);
            if (core.reset_requested) break;
            core_poll(&core);
            board_idle();
        }
        core_teardown(&core);
        board_reset();
    }
}
