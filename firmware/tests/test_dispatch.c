/* The dispatcher through frames: handshake, vector errors, upload, config,
 * dataset, params, reset. */
#include <string.h>

#include "bytes.h"
#include "harness.h"
#include "protocol.h"
#include "sha256.h"
#include "test_util.h"
#include "vectors.h"

static qiot_core_t core;
static out_frame_t out[MAX_OUT_FRAMES];

static void hello_without_module(void) {
    fake_board_wipe();
    core_teardown(&core);
    core_init(&core);
    uint8_t p[2];
    put_u16(p, 1);
    size_t n = request(&core, MSG_HELLO, 7, p, 2, out);
    CHECK(n == 1 && out[0].type == MSG_INFO && out[0].seq == 7);
    const uint8_t *i = out[0].payload;
    CHECK(get_u16(i) == 1 && get_u16(i + 2) == 1 && get_u16(i + 4) == 1024 && get_u16(i + 6) == QIOT_RING_CAPACITY);
    CHECK(get_u32(i + 8) == QIOT_SLOT_SIZE && get_u32(i + 12) == 65536);
    CHECK(get_u16(i + 16) == 0 && i[18] == 0xFF && get_u32(i + 19) == 0);
    CHECK(i[55] == 5 && memcmp(i + 56, "0.1.0", 5) == 0 && i[61] == 4 && memcmp(i + 62, "fake", 4) == 0);
    /* Security section: open board, floor 0, no module version/counter, the boot's nonce, counter 0. */
    CHECK(i[66] == 0 && get_u32(i + 67) == 0 && get_u32(i + 71) == 0 && get_u32(i + 75) == 0);
    CHECK(memcmp(i + 79, core.security.nonce, QIOT_NONCE_SIZE) == 0 && get_u32(i + 95) == 0);
    /* Boot section: nothing pending, no previous module, power-on boot, no trial steps left. */
    CHECK(i[99] == 0 && i[100] == BOOT_EVENT_NONE && i[101] == RESET_CAUSE_POWER_ON && i[102] == RESET_CAUSE_POWER_ON);
    CHECK(get_u32(i + 103) == 0 && get_u32(i + 107) == 0);
    CHECK(out[0].length == 99 + 12 + 32);
    n = request(&core, MSG_HELLO, 8, p, 1, out);
    CHECK(n == 1 && error_code(&out[0]) == ERR_BAD_PAYLOAD && out[0].seq == 8);
}

static void vector_errors(void) {
    for (size_t k = 0; k < VEC_DISPATCH_COUNT; k++) {
        const vec_dispatch_t *v = &vec_dispatch[k];
        core_feed(&core, v->wire, v->wire_len);
        size_t n = fake_board_take_output(out, MAX_OUT_FRAMES);
        CHECKF(n == 1 && error_code(&out[0]) == v->error && out[0].seq == v->seq, "dispatch vector %s", v->name);
    }
    /* Every malformed stream is answered with its error, then its frame. */
    for (size_t k = 0; k < VEC_STREAMS_COUNT; k++) {
        const vec_stream_t *s = &vec_streams[k];
        core.decoder.synced = s->synced;
        core.decoder.fill = 0;
        core.decoder.discarding = false;
        core_feed(&core, s->input, s->len);
        size_t n = fake_board_take_output(out, MAX_OUT_FRAMES);
        bool ok = n == s->event_count;
        for (size_t e = 0; ok && e < n; e++) {
            const vec_event_t *want = &s->events[e];
            if (want->error) ok = error_code(&out[e]) == want->error && out[e].seq == want->seq;
            else ok = out[e].seq == want->seq && out[e].type != MSG_ERROR; /* answered, e.g. INFO/STATUS */
        }
        CHECKF(ok, "stream %s answered with %zu frames", s->name, n);
        if (strcmp(s->name, "wrong_version") == 0)
            CHECK(n > 0 && error_text_contains(&out[0], "frame protocol version 2, board speaks version 1"));
    }
}

static void upload_through_frames(void) {
    uint32_t len;
    const uint8_t *m = fixture_module(&len);
    uint8_t sha[32];
    sha256(m, len, sha);
    uint8_t p[QIOT_MAX_PAYLOAD];
    /* Nothing before UPLOAD_BEGIN. */
    put_u32(p, 0);
    CHECK(request(&core, MSG_UPLOAD_CHUNK, 20, p, 5, out) == 1 && error_code(&out[0]) == ERR_BAD_STATE);
    CHECK(request(&core, MSG_UPLOAD_COMMIT, 21, NULL, 0, out) == 1 && error_code(&out[0]) == ERR_BAD_STATE);
    put_u32(p, QIOT_SLOT_SIZE + 1);
    memcpy(p + 4, sha, 32);
    CHECK(request(&core, MSG_UPLOAD_BEGIN, 22, p, 36, out) == 1 && error_code(&out[0]) == ERR_UPLOAD_TOO_LARGE);

    put_u32(p, len);
    CHECK(request(&core, MSG_UPLOAD_BEGIN, 23, p, 36, out) == 1 && out[0].type == MSG_OK &&
          get_u32(out[0].payload) == 0);
    put_u32(p, 0);
    memcpy(p + 4, m, 100);
    CHECK(request(&core, MSG_UPLOAD_CHUNK, 24, p, 104, out) == 1 && get_u32(out[0].payload) == 100);
    /* STATUS shows the upload state. */
    CHECK(request(&core, MSG_STATUS_REQUEST, 25, NULL, 0, out) == 1 && out[0].payload[0] == STATE_UPLOAD);
    /* A gap is refused naming the expected offset. */
    put_u32(p, 300);
    CHECK(request(&core, MSG_UPLOAD_CHUNK, 26, p, 104, out) == 1 && error_code(&out[0]) == ERR_UPLOAD_OFFSET &&
          error_text_contains(&out[0], "expected offset 100"));
    CHECK(request(&core, MSG_UPLOAD_COMMIT, 27, NULL, 0, out) == 1 && error_code(&out[0]) == ERR_UPLOAD_INCOMPLETE);
    /* Same sha256 and size: resume at 100. */
    put_u32(p, len);
    memcpy(p + 4, sha, 32);
    CHECK(request(&core, MSG_UPLOAD_BEGIN, 28, p, 36, out) == 1 && get_u32(out[0].payload) == 100);
    uint32_t acked = 0;
    for (uint32_t off = 100; off < len; off += QIOT_MAX_CHUNK_DATA) {
        uint32_t n = len - off < QIOT_MAX_CHUNK_DATA ? len - off : QIOT_MAX_CHUNK_DATA;
        put_u32(p, off);
        memcpy(p + 4, m + off, n);
        if (request(&core, MSG_UPLOAD_CHUNK, 29, p, 4 + n, out) == 1 && out[0].type == MSG_OK)
            acked = get_u32(out[0].payload);
    }
    CHECK(acked == len);
    CHECK(request(&core, MSG_UPLOAD_COMMIT, 30, NULL, 0, out) == 1 && out[0].type == MSG_OK && out[0].length == 33);
    CHECK(out[0].payload[0] == 0 && memcmp(out[0].payload + 1, sha, 32) == 0);
    put_u16(p, 1);
    CHECK(request(&core, MSG_HELLO, 31, p, 2, out) == 1 && out[0].payload[18] == 0 &&
          get_u32(out[0].payload + 19) == len && memcmp(out[0].payload + 23, sha, 32) == 0 &&
          get_u16(out[0].payload + 16) == 10);
}

static void config_and_dataset(void) {
    uint8_t cfg[QIOT_CONFIG_STRUCT_SIZE];
    fixture_config(cfg);
    CHECK(request(&core, MSG_CONFIG, 40, cfg, 100, out) == 1 && error_code(&out[0]) == ERR_BAD_PAYLOAD);
    uint8_t steps[4] = {1, 0, 0, 0};
    CHECK(request(&core, MSG_TRAIN_START, 41, steps, 4, out) == 1 && error_code(&out[0]) == ERR_BAD_STATE &&
          error_text_contains(&out[0], "CONFIG"));
    CHECK(request(&core, MSG_PARAMS_READ, 42, NULL, 0, out) == 1 && error_code(&out[0]) == ERR_BAD_STATE);
    put_u32(cfg + 4, 0); /* qubits 0: the module's own message comes back */
    CHECK(request(&core, MSG_CONFIG, 43, cfg, sizeof cfg, out) == 1 && out[0].type == MSG_OK);
    CHECK(request(&core, MSG_TRAIN_START, 44, steps, 4, out) == 1 && error_code(&out[0]) == ERR_CONFIG_INVALID &&
          error_text_contains(&out[0], "qubits: must be 1..10"));

    uint8_t p[QIOT_MAX_PAYLOAD];
    put_u32(p, 250);
    memset(p + 4, 0x3F, 6);
    CHECK(request(&core, MSG_DATASET, 45, p, 10, out) == 1 && out[0].type == MSG_OK && get_u32(out[0].payload) == 256);
    uint8_t back[6];
    CHECK(runner_read_memory(&core.runner, core.runner.dataset_ptr + 250, back, 6) && back[0] == 0x3F &&
          back[5] == 0x3F);
    put_u32(p, 251);
    CHECK(request(&core, MSG_DATASET, 46, p, 10, out) == 1 && error_code(&out[0]) == ERR_DATASET_RANGE);
    put_u32(p, 0xFFFFFFFFu);
    CHECK(request(&core, MSG_DATASET, 47, p, 10, out) == 1 && error_code(&out[0]) == ERR_DATASET_RANGE);
}

static void params_and_reset(void) {
    uint8_t cfg[QIOT_CONFIG_STRUCT_SIZE];
    fixture_config(cfg);
    request(&core, MSG_CONFIG, 50, cfg, sizeof cfg, out);
    uint8_t steps[4] = {0};
    put_u32(steps, 1);
    size_t n = request(&core, MSG_TRAIN_START, 51, steps, 4, out);
    CHECK(n == 1 && out[0].type == MSG_OK && get_u32(out[0].payload) == 4);
    core_poll(&core);
    n = fake_board_take_output(out, MAX_OUT_FRAMES);
    CHECK(n == 2 && out[0].type == MSG_TELEMETRY && out[1].type == MSG_DONE);
    /* θ_i = 0.5·i − lr after one step of the fixture. */
    n = request(&core, MSG_PARAMS_READ, 52, NULL, 0, out);
    CHECK(n == 1 && out[0].type == MSG_OK && get_u16(out[0].payload) == 4 && out[0].length == 2 + 32);
    bool values_ok = true;
    for (int i = 0; i < 4; i++) values_ok &= f64_at(out[0].payload + 2 + 8 * i) == 0.5 * i - 0.125;
    CHECK(values_ok);
    uint8_t first[2];
    put_u16(first, 3);
    n = request(&core, MSG_PARAMS_READ, 53, first, 2, out);
    CHECK(n == 1 && out[0].length == 2 + 8 && f64_at(out[0].payload + 2) == 1.5 - 0.125);

    uint8_t p[2 + 32];
    put_u16(p, 3);
    CHECK(request(&core, MSG_PARAMS_WRITE, 54, p, 2 + 24, out) == 1 && error_code(&out[0]) == ERR_BAD_PAYLOAD);
    put_u16(p, 4);
    for (int i = 0; i < 4; i++) put_f64(p + 2 + 8 * i, -1.0 * i);
    CHECK(request(&core, MSG_PARAMS_WRITE, 55, p, sizeof p, out) == 1 && out[0].type == MSG_OK);
    n = request(&core, MSG_PARAMS_READ, 56, NULL, 0, out);
    CHECK(n == 1 && f64_at(out[0].payload + 2 + 24) == -3.0);

    /* A commit refused before validation (no upload; upload incomplete) leaves
     * the running module as it was: θ and the CONFIG are still there. */
    CHECK(request(&core, MSG_UPLOAD_COMMIT, 60, NULL, 0, out) == 1 && error_code(&out[0]) == ERR_BAD_STATE);
    uint8_t begin[4 + SHA256_DIGEST_SIZE] = {0};
    put_u32(begin, 200);
    CHECK(request(&core, MSG_UPLOAD_BEGIN, 61, begin, sizeof begin, out) == 1 && out[0].type == MSG_OK);
    CHECK(request(&core, MSG_UPLOAD_COMMIT, 62, NULL, 0, out) == 1 && error_code(&out[0]) == ERR_UPLOAD_INCOMPLETE);
    n = request(&core, MSG_PARAMS_READ, 63, NULL, 0, out);
    CHECK(n == 1 && out[0].type == MSG_OK && f64_at(out[0].payload + 2 + 24) == -3.0);
    CHECK(core.config_written && core.initialised && runner_loaded(&core.runner));

    /* A param_count() beyond max_params() would point PARAMS_READ/WRITE past
     * the params region checked at load: refused, naming the bound. */
    put_u32(cfg + 48, 15); /* the fixture's param_count() becomes 17 > 16 */
    CHECK(request(&core, MSG_CONFIG, 64, cfg, sizeof cfg, out) == 1 && out[0].type == MSG_OK);
    CHECK(request(&core, MSG_TRAIN_START, 65, steps, 4, out) == 1 && out[0].type == MSG_OK);
    core_poll(&core);
    fake_board_take_output(out, MAX_OUT_FRAMES);
    CHECK(request(&core, MSG_PARAMS_READ, 66, NULL, 0, out) == 1 && error_code(&out[0]) == ERR_MODULE_TRAP &&
          out[0].seq == 66 && error_text_contains(&out[0], "param_count() outside 0..max_params() = 16"));
    CHECK(request(&core, MSG_PARAMS_WRITE, 67, p, sizeof p, out) == 1 && error_code(&out[0]) == ERR_MODULE_TRAP);

    /* RESET answers OK and asks the main loop to reboot; the module stays. */
    n = request(&core, MSG_RESET, 57, NULL, 0, out);
    CHECK(n == 1 && out[0].type == MSG_OK && out[0].seq == 57 && core.reset_requested);
    core_teardown(&core);
    core_init(&core);
    CHECK(runner_loaded(&core.runner) && core.store.active_slot == 0 && !core.config_written);
}

/* Requests without a payload refuse one (docs/protocol.md); RESET with one
 * does not reset. */
static void payload_lengths(void) {
    static const struct {
        uint8_t type;
        const char *text;
    } empty[] = {
        {MSG_STATUS_REQUEST, "STATUS carries no payload"},
        {MSG_RESET, "RESET carries no payload"},
        {MSG_UPLOAD_COMMIT, "UPLOAD_COMMIT carries no payload"},
        {MSG_TRAIN_STOP, "TRAIN_STOP carries no payload"},
    };
    uint8_t junk[2] = {0x09, 0x00};
    for (size_t k = 0; k < sizeof empty / sizeof empty[0]; k++) {
        for (size_t len = 1; len <= 2; len++) {
            size_t n = request(&core, empty[k].type, (uint16_t)(90 + k), junk, len, out);
            CHECKF(n == 1 && error_code(&out[0]) == ERR_BAD_PAYLOAD && out[0].seq == 90 + k &&
                       error_text_contains(&out[0], empty[k].text),
                   "type 0x%02x with %zu payload bytes", empty[k].type, len);
        }
    }
    CHECK(!core.reset_requested);
}

void test_dispatch(void) {
    hello_without_module();
    vector_errors();
    payload_lengths();
    uint8_t cfg[QIOT_CONFIG_STRUCT_SIZE] = {0};
    CHECK(request(&core, MSG_CONFIG, 9, cfg, sizeof cfg, out) == 1 && error_code(&out[0]) == ERR_NO_MODULE);
    CHECK(request(&core, MSG_TRAIN_START, 10, cfg, 4, out) == 1 && error_code(&out[0]) == ERR_NO_MODULE);
    /* The payload's size is checked before the board's state. */
    CHECK(request(&core, MSG_CONFIG, 11, cfg, 4, out) == 1 && error_code(&out[0]) == ERR_BAD_PAYLOAD &&
          error_text_contains(&out[0], "CONFIG carries the 192-byte config struct"));
    upload_through_frames();
    config_and_dataset();
    params_and_reset();
    core_teardown(&core);
}
