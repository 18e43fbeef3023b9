/* Link-level requests: HELLO, STATUS, TELEMETRY_FETCH, RESET. */
#include <string.h>

#include "board.h"
#include "bytes.h"
#include "handlers.h"
#include "protocol.h"
#include "reply.h"
#include "text.h"

static size_t put_short_string(uint8_t *p, const char *s) {
    size_t n = strlen(s);
    if (n > 255) n = 255;
    p[0] = (uint8_t)n;
    memcpy(p + 1, s, n);
    return 1 + n;
}

void handle_hello(qiot_core_t *c, const frame_t *f) {
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
    /* Security section (docs/security.md). */
    const security_t *sec = &c->security;
    bool verified = has_module && c->store.module_meta.verified;
    p[n++] = (uint8_t)((sec->provisioned ? 1u : 0u) | (verified ? 2u : 0u));
    put_u32(p + n, c->store.floor);
    put_u32(p + n + 4, has_module ? c->store.module_meta.version : 0);
    put_u32(p + n + 8, has_module ? c->store.module_meta.counter : 0);
    memcpy(p + n + 12, sec->nonce, QIOT_NONCE_SIZE);
    put_u32(p + n + 12 + QIOT_NONCE_SIZE, sec->last_counter);
    n += 16 + QIOT_NONCE_SIZE;
    /* Boot section (docs/reliability.md "Trial boot"). */
    const store_t *st = &c->store;
    bool previous = st->previous.valid;
    p[n] = (uint8_t)((has_module && st->pending ? 1u : 0u) | (previous ? 2u : 0u));
    p[n + 1] = has_module ? st->event : BOOT_EVENT_NONE;
    p[n + 2] = has_module ? st->event_from : RESET_CAUSE_POWER_ON;
    p[n + 3] = c->reset_cause;
    put_u32(p + n + 4, has_module && st->pending ? QIOT_TRIAL_STEPS - st->trial_steps : 0);
    put_u32(p + n + 8, previous ? st->previous.size : 0);
    if (previous) memcpy(p + n + 12, st->previous.sha, SHA256_DIGEST_SIZE);
    else memset(p + n + 12, 0, SHA256_DIGEST_SIZE);
    n += 12 + SHA256_DIGEST_SIZE;
    reply_send(MSG_INFO, f->seq, p, n);
}

void handle_status(qiot_core_t *c, const frame_t *f) {
    uint8_t p[18];
    p[0] = c->training ? (c->run.paused ? STATE_PAUSED : STATE_TRAINING)
                       : (c->store.uploading ? STATE_UPLOAD : STATE_IDLE);
    put_u32(p + 1, c->last_step);
    put_u32(p + 5, c->ring.next_tseq);
    p[9] = c->store.active_slot == STORE_NO_SLOT ? 0xFF : (uint8_t)c->store.active_slot;
    put_u64(p + 10, c->shots_total);
    reply_send(MSG_STATUS, f->seq, p, sizeof p);
}

void handle_fetch(qiot_core_t *c, const frame_t *f) {
    uint32_t from = get_u32(f->payload);
    uint32_t first = ring_first_held(&c->ring);
    for (uint32_t t = from > first ? from : first; t < c->ring.next_tseq; t++)
        reply_send(MSG_TELEMETRY_REPLAY, f->seq, ring_get(&c->ring, t), QIOT_TELEMETRY_PAYLOAD_SIZE);
    uint8_t p[12];
    put_u32(p, first);
    put_u32(p + 4, c->ring.next_tseq);
    put_u32(p + 8, ring_missing(&c->ring, from));
    reply_ok(f->seq, p, sizeof p);
}

void handle_telemetry_ack(qiot_core_t *c, const frame_t *f) {
    uint32_t next = get_u32(f->payload);
    if (next > c->ring.next_tseq) {
        char text[80];
        text_set(text, sizeof text, "acknowledges tseq up to ");
        text_append_uint(text, sizeof text, next);
        text_append(text, sizeof text, ", board sent up to ");
        text_append_uint(text, sizeof text, c->ring.next_tseq);
        reply_error(f->seq, ERR_BAD_PAYLOAD, text);
        return;
    }
    if (next > c->acked) c->acked = next;
    uint8_t p[8];
    put_u32(p, c->acked);
    put_u32(p + 4, c->dropped);
    reply_ok(f->seq, p, sizeof p);
}

void handle_reset(qiot_core_t *c, const frame_t *f) {
    reply_ok(f->seq, NULL, 0);
    c->reset_requested = true;
}
