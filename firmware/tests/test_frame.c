/* Frame encoder and incremental decoder against the shared vectors. */
#include <string.h>

#include "frame.h"
#include "harness.h"
#include "protocol.h"
#include "vectors.h"

static void encode_vectors(void) {
    static uint8_t out[FRAME_MAX_WIRE];
    for (size_t i = 0; i < VEC_FRAMES_COUNT; i++) {
        const vec_frame_t *v = &vec_frames[i];
        size_t n = frame_encode(v->type, v->seq, v->payload, v->payload_len, out);
        CHECKF(n == v->wire_len && memcmp(out, v->wire, n) == 0, "encode %s", v->name);
    }
    static uint8_t big[QIOT_MAX_PAYLOAD + 1];
    CHECK(frame_encode(MSG_DATASET, 1, big, sizeof big, out) == 0);
}

static void decode_vectors(void) {
    static frame_decoder_t d;
    for (size_t i = 0; i < VEC_FRAMES_COUNT; i++) {
        const vec_frame_t *v = &vec_frames[i];
        frame_decoder_init(&d, true);
        frame_event_t ev;
        int events = 0;
        bool match = false;
        for (size_t k = 0; k < v->wire_len; k++) {
            if (!frame_decoder_push(&d, v->wire[k], &ev)) continue;
            events++;
            match = ev.error == ERR_NONE && ev.frame.type == v->type && ev.frame.seq == v->seq &&
                    ev.frame.length == v->payload_len &&
                    (v->payload_len == 0 || memcmp(ev.frame.payload, v->payload, v->payload_len) == 0);
        }
        CHECKF(events == 1 && match, "decode %s (%d events)", v->name, events);
    }
}

static void stream_vectors(void) {
    static frame_decoder_t d;
    for (size_t i = 0; i < VEC_STREAMS_COUNT; i++) {
        const vec_stream_t *s = &vec_streams[i];
        frame_decoder_init(&d, s->synced);
        size_t seen = 0;
        bool ok = true;
        frame_event_t ev;
        for (size_t k = 0; k < s->len; k++) {
            if (!frame_decoder_push(&d, s->input[k], &ev)) continue;
            if (seen >= s->event_count) {
                ok = false;
                break;
            }
            const vec_event_t *want = &s->events[seen++];
            if (ev.error != want->error || ev.seq != want->seq) ok = false;
            if (want->error == 0 && (ev.frame.type != want->type || ev.frame.length != want->payload_len ||
                                     (want->payload_len && memcmp(ev.frame.payload, want->payload, want->payload_len))))
                ok = false;
        }
        CHECKF(ok && seen == s->event_count, "stream %s: %zu of %zu events matched", s->name, seen, s->event_count);
    }
}

void test_frame(void) {
    encode_vectors();
    decode_vectors();
    stream_vectors();
}
