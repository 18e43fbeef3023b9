/* Hostile input: seeded random garbage and bit-flipped valid frames fed to
 * the core. Every byte the board sends must still be a well-formed frame,
 * the module must stay active, and the board must answer HELLO afterwards. */
#include <string.h>

#include "bytes.h"
#include "harness.h"
#include "protocol.h"
#include "test_util.h"

static qiot_core_t core;
static out_frame_t out[MAX_OUT_FRAMES];

static uint32_t rng_state = 0x9E3779B9u;
static uint32_t next_random(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

/* A valid request of a random type with a random payload. */
static size_t random_frame(uint8_t *wire) {
    static const uint8_t types[] = {
        MSG_HELLO,           MSG_UPLOAD_CHUNK, MSG_CONFIG,       MSG_DATASET,    MSG_STATUS_REQUEST,
        MSG_TELEMETRY_FETCH, MSG_PARAMS_READ,  MSG_PARAMS_WRITE, MSG_TRAIN_STOP, 0x42};
    uint8_t payload[200];
    size_t len = next_random() % sizeof payload;
    for (size_t i = 0; i < len; i++) payload[i] = (uint8_t)next_random();
    return frame_encode(types[next_random() % sizeof types], (uint16_t)next_random(), payload, len, wire);
}

void test_robustness(void) {
    uint8_t cfg[QIOT_CONFIG_STRUCT_SIZE];
    fixture_config(cfg);
    boot_with_fixture(&core, cfg);
    uint8_t sha_before[32];
    memcpy(sha_before, core.store.module_sha, 32);

    static uint8_t wire[FRAME_MAX_WIRE * 2];
    size_t frames_out = 0, malformed_out = 0;
    for (int round = 0; round < 3000; round++) {
        size_t n;
        switch (round % 3) {
        case 0: /* garbage, sometimes with delimiters */
            n = next_random() % sizeof wire;
            for (size_t i = 0; i < n; i++) wire[i] = (uint8_t)(next_random() % 5 == 0 ? 0 : next_random());
            break;
        case 1: /* a valid frame with bit flips */
            n = random_frame(wire);
            for (int flips = 1 + (int)(next_random() % 3); flips > 0; flips--)
                wire[next_random() % n] ^= (uint8_t)(1u << (next_random() % 8));
            break;
        default: /* a valid frame of a random type and payload */
            n = random_frame(wire);
            break;
        }
        core_feed(&core, wire, n);
        if (core.training) core_poll(&core);
        core.reset_requested = false;
        size_t got = fake_board_take_output(out, MAX_OUT_FRAMES);
        for (size_t k = 0; k < got; k++) {
            frames_out++;
            if (out[k].error != ERR_NONE) malformed_out++;
        }
    }
    CHECKF(malformed_out == 0, "%zu of %zu frames sent were malformed", malformed_out, frames_out);
    CHECK(frames_out > 1000);
    CHECK(core.store.active_slot == 0 && memcmp(core.store.module_sha, sha_before, 32) == 0);
    CHECK(runner_loaded(&core.runner));

    uint8_t resync = 0;
    core_feed(&core, &resync, 1); /* ends whatever partial frame is pending */
    fake_board_take_output(out, MAX_OUT_FRAMES);
    uint8_t hello[2];
    put_u16(hello, 1);
    size_t n = request(&core, MSG_HELLO, 4242, hello, 2, out);
    CHECK(n == 1 && out[0].type == MSG_INFO && out[0].seq == 4242);
    core_teardown(&core);
}
