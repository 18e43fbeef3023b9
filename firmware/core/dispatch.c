/* Routes request frames; answers the link-level requests (HELLO, STATUS,
 * TELEMETRY_FETCH, RESET). */
#include <string.h>

#include "board.h"
#include "bytes.h"
#include "core.h"
#include "protocol.h"
#include "text.h"

static size_t put_short_string(uint8_t *p, const char *s) {
    size_t n = strlen(s);
    if (n > 255) n = 255;
    p[0] = (uint8_t)n;
    memcpy(p + 1, s, n);
    return 1 + n;
}

static void answer_hello(qiot_core_t *c, const frame_t *f) {
    if (f->length != 2) {
        core_send_error(c, f->seq, ERR_BAD_PAYLOAD, "HELLO carries a u16 protocol version");
        return;
    }
    uint8_t p[QIOT_MAX_PAYLOAD];
    bool loaded = runner_loaded(&c->runner);
    bool has_module = c->store.active_slot != STORE_NO_SLOT;
    put_u16(p + 0, QIOT_PROTOCOL_VERSION);
    put_u16(p + 2, QIOT_ABI_VERSION);
    put_u16(p + 4, QIOT_MAX_PAYLOAD);
    put_u16(p + 6, QIOT_RING_CAPACITY);
    put_u32(p + 8, QIOT_SLOT_SIZE);
    put_u32(p + 12, QIOT_WASM_PAGE_SIZE);
    put_u16(p + 16, (uint16_t)(loaded ? c->runner.max_qubits : 0));
    p[18] = has_module ? (uint8_t)c->store.active_slot : 0xFF;
    put_u32(p + 19, has_module ? c->store.module_size : 0);
    if (has_module) memcpy(p + 23, c->store.module_sha, SHA256_DIGEST_SIZE);
    else memset(p + 23, 0, SHA256_DIGEST_SIZE);
    size_t n = 23 + SHA256_DIGEST_SIZE;
    n += put_short_string(p + n, QIOT_FIRMWARE_VERSION);
    n += put_short_string(p + n, board_name());
    core_send(c, MSG_INFO, f->seq, p, n);
}

static void answer_status(qiot_core_t *c, const frame_t *f) {
    uint8_t p[18];
    p[0] = c->training ? STATE_TRAINING : (c->store.uploading ? STATE_UPLOAD : STATE_IDLE);
    put_u32(p + 1, c->last_step);
    put_u32(p + 5, c->ring.next_tseq);
    p[9] = c->store.active_slot == STORE_NO_SLOT ? 0xFF : (uint8_t)c->store.active_slot;
    put_u64(p + 10, c->shots_total);
    core_send(c, MSG_STATUS, f->seq, p, sizeof p);
}

static void answer_fetch(qiot_core_t *c, const frame_t *f) {
    if (f->length != 4) {
        core_send_error(c, f->seq, ERR_BAD_PAYLOAD, "TELEMETRY_FETCH carries a u32 from_tseq");
        return;
    }
    uint32_t from = get_u32(f->payload);
    uint32_t first = ring_first_held(&c->ring);
    for (uint32_t t = from > first ? from : first; t < c->ring.next_tseq; t++)
        core_send(c, MSG_TELEMETRY, f->seq, ring_get(&c->ring, t), QIOT_TELEMETRY_PAYLOAD_SIZE);
    uint8_t p[12];
    put_u32(p, first);
    put_u32(p + 4, c->ring.next_tseq);
    put_u32(p + 8, ring_missing(&c->ring, from));
    core_send_ok(c, f->seq, p, sizeof p);
}

void dispatch_frame(qiot_core_t *c, const frame_t *f) {
    switch (f->type) {
    case MSG_HELLO:
        answer_hello(c, f);
        break;
    case MSG_STATUS_REQ:
        answer_status(c, f);
        break;
    case MSG_TELEMETRY_FETCH:
        answer_fetch(c, f);
        break;
    case MSG_RESET:
        core_send_ok(c, f->seq, NULL, 0);
        c->reset_requested = true;
        break;
    case MSG_TRAIN_START:
        train_start(c, f);
        break;
    case MSG_TRAIN_STOP:
        train_stop(c, f);
        break;
    case MSG_UPLOAD_BEGIN:
    case MSG_UPLOAD_CHUNK:
    case MSG_UPLOAD_COMMIT:
    case MSG_CONFIG:
    case MSG_DATASET:
    case MSG_PARAMS_READ:
    case MSG_PARAMS_WRITE:
        dispatch_module_frame(c, f);
        break;
    default:
        {
            char text[40];
            text_set(text, sizeof text, "unknown request type ");
            text_append_hex8(text, sizeof text, f->type);
            core_send_error(c, f->seq, ERR_UNKNOWN_TYPE, text);
        }
        break;
    }
}
