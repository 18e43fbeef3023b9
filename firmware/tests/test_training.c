/* Training runs against the fixture module, whose telemetry is known
 * exactly: completion, STOP, budget, NUMERIC, traps, the telemetry ring. */
#include <math.h>
#include <string.h>

#include "bytes.h"
#include "harness.h"
#include "protocol.h"
#include "test_util.h"

static qiot_core_t core;
static out_frame_t out[MAX_OUT_FRAMES];

static size_t start(uint32_t steps, uint16_t seq) {
    uint8_t p[4];
    put_u32(p, steps);
    return request(&core, MSG_TRAIN_START, seq, p, 4, out);
}

/* Polls until DONE (at most max_polls); returns the frames sent meanwhile. */
static size_t run_to_done(int max_polls) {
    for (int i = 0; i < max_polls && core.training; i++) core_poll(&core);
    return fake_board_take_output(out, MAX_OUT_FRAMES);
}

/* The fixture's record for step k with learning rate lr, no shot budget;
 * seq is 0 when streamed (TELEMETRY), the request's seq when fetched
 * (TELEMETRY_REPLAY: a replay is marked as one). */
static bool telemetry_is(const out_frame_t *f, uint16_t seq, uint32_t tseq, uint32_t k, double lr) {
    const uint8_t *p = f->payload;
    const uint8_t *r = p + 8;
    return f->type == (seq == 0 ? MSG_TELEMETRY : MSG_TELEMETRY_REPLAY) && f->seq == seq && f->length == 72 &&
           get_u32(p) == tseq && get_u32(p + 4) == 1000 && get_u32(r) == k && get_u32(r + 4) == 0 &&
           get_u32(r + 8) == k % 2 && get_u32(r + 12) == 2 && f64_at(r + 32) == 1.0 / k && f64_at(r + 40) == lr &&
           f64_at(r + 48) == 2 * lr && isnan(f64_at(r + 56));
}

static bool done_is(const out_frame_t *f, uint32_t status, uint32_t steps, uint64_t shots) {
    const uint8_t *p = f->payload;
    bool numbers = status == DONE_TRAP ? isnan(f64_at(p + 16)) && isnan(f64_at(p + 24)) && isnan(f64_at(p + 32))
                                       : f64_at(p + 16) == 0.25 && f64_at(p + 24) == 0.75 && f64_at(p + 32) == 0.5;
    return f->type == MSG_DONE && f->seq == 0 && f->length == 40 && get_u32(p) == status && get_u32(p + 4) == steps &&
           get_u64(p + 8) == shots && numbers;
}

static void completes(void) {
    uint8_t cfg[QIOT_CONFIG_STRUCT_SIZE];
    fixture_config(cfg);
    boot_with_fixture(&core, cfg);
    CHECK(start(3, 60) == 1 && out[0].type == MSG_OK && out[0].seq == 60 && get_u32(out[0].payload) == 4);
    size_t n = run_to_done(10);
    CHECK(n == 4);
    CHECK(telemetry_is(&out[0], 0, 1, 1, 0.125) && telemetry_is(&out[1], 0, 2, 2, 0.125) &&
          telemetry_is(&out[2], 0, 3, 3, 0.125));
    CHECK(done_is(&out[3], DONE_COMPLETED, 3, 0));
    /* A second run continues the board's tseq. */
    CHECK(start(1, 61) == 1 && out[0].type == MSG_OK);
    n = run_to_done(10);
    CHECK(n == 2 && telemetry_is(&out[0], 0, 4, 1, 0.125) && done_is(&out[1], DONE_COMPLETED, 1, 0));
}

static void stop_and_status(void) {
    CHECK(start(0, 62) == 1 && out[0].type == MSG_OK);
    core_poll(&core);
    core_poll(&core);
    size_t n = request(&core, MSG_STATUS_REQUEST, 63, NULL, 0, out);
    CHECK(n == 3 && out[2].type == MSG_STATUS && out[2].seq == 63 && out[2].payload[0] == STATE_TRAINING &&
          get_u32(out[2].payload + 1) == 2 && get_u32(out[2].payload + 5) == 7 && out[2].payload[9] == 0);
    /* Requests that change the module are refused while training. */
    uint8_t cfg[QIOT_CONFIG_STRUCT_SIZE];
    fixture_config(cfg);
    CHECK(request(&core, MSG_CONFIG, 64, cfg, sizeof cfg, out) == 1 && error_code(&out[0]) == ERR_BAD_STATE);
    CHECK(start(1, 65) == 1 && error_code(&out[0]) == ERR_BAD_STATE);
    n = request(&core, MSG_TRAIN_STOP, 66, NULL, 0, out);
    CHECK(n == 2 && out[0].type == MSG_OK && out[0].seq == 66 && done_is(&out[1], DONE_STOPPED, 2, 0));
    CHECK(!core.training);
    /* STOP when idle is answered OK without a DONE. */
    n = request(&core, MSG_TRAIN_STOP, 67, NULL, 0, out);
    CHECK(n == 1 && out[0].type == MSG_OK);
}

static void budget_and_numeric(void) {
    uint8_t cfg[QIOT_CONFIG_STRUCT_SIZE];
    fixture_config(cfg);
    put_u64(cfg + 56, 25); /* 10 shots per step: two steps fit */
    CHECK(request(&core, MSG_CONFIG, 70, cfg, sizeof cfg, out) == 1);
    CHECK(start(0, 71) == 1 && out[0].type == MSG_OK);
    size_t n = run_to_done(10);
    CHECK(n == 3 && out[0].type == MSG_TELEMETRY && out[1].type == MSG_TELEMETRY);
    CHECK(get_u64(out[1].payload + 8 + 24) == 20 && done_is(&out[2], DONE_BUDGET_EXHAUSTED, 2, 20));

    fixture_config(cfg);
    put_u32(cfg + 48, 13); /* step 2 reports NUMERIC */
    request(&core, MSG_CONFIG, 72, cfg, sizeof cfg, out);
    CHECK(start(5, 73) == 1 && out[0].type == MSG_OK);
    n = run_to_done(10);
    CHECK(n == 3 && out[1].type == MSG_TELEMETRY && get_u32(out[1].payload + 8 + 4) == 3);
    CHECK(done_is(&out[2], DONE_NUMERIC, 2, 0));

    fixture_config(cfg);
    put_u32(cfg + 48, 14); /* step 2 returns 7, outside the ABI */
    request(&core, MSG_CONFIG, 74, cfg, sizeof cfg, out);
    uint32_t tseq = core.ring.next_tseq;
    CHECK(start(5, 75) == 1 && out[0].type == MSG_OK);
    n = run_to_done(10);
    CHECK(n == 3 && telemetry_is(&out[0], 0, tseq, 1, 0.125));
    CHECK(error_code(&out[1]) == ERR_MODULE_TRAP && out[1].seq == 0 &&
          error_text_contains(&out[1], "step returned unexpected status 7"));
    /* Nothing trapped: the runtime is kept, so DONE carries its evaluations. */
    const uint8_t *d = out[2].payload;
    CHECK(out[2].type == MSG_DONE && get_u32(d) == DONE_TRAP && get_u32(d + 4) == 1 && f64_at(d + 16) == 0.25 &&
          f64_at(d + 24) == 0.75 && f64_at(d + 32) == 0.5);
    CHECK(core.config_written && start(1, 76) == 1 && out[0].type == MSG_OK);
    n = run_to_done(10);
    CHECK(n == 2 && done_is(&out[1], DONE_COMPLETED, 1, 0));
}

static void traps_recover(void) {
    uint8_t cfg[QIOT_CONFIG_STRUCT_SIZE];
    fixture_config(cfg);
    put_u32(cfg + 8, 78); /* abort in step 3 */
    request(&core, MSG_CONFIG, 80, cfg, sizeof cfg, out);
    CHECK(start(10, 81) == 1 && out[0].type == MSG_OK);
    size_t n = run_to_done(20);
    CHECK(n == 4 && out[0].type == MSG_TELEMETRY && out[1].type == MSG_TELEMETRY);
    CHECK(error_code(&out[2]) == ERR_MODULE_TRAP && out[2].seq == 0 &&
          error_text_contains(&out[2], "step trapped: abort: fixture abort in step"));
    CHECK(done_is(&out[3], DONE_TRAP, 2, 0));
    /* The runtime was re-created: config must be sent again, then it runs. */
    CHECK(runner_loaded(&core.runner) && !core.training);
    CHECK(start(1, 82) == 1 && error_code(&out[0]) == ERR_BAD_STATE);
    fixture_config(cfg);
    request(&core, MSG_CONFIG, 83, cfg, sizeof cfg, out);
    CHECK(start(2, 84) == 1 && out[0].type == MSG_OK);
    n = run_to_done(10);
    CHECK(n == 3 && get_u32(out[0].payload + 8) == 1 && done_is(&out[2], DONE_COMPLETED, 2, 0));

    put_u32(cfg + 8, 79); /* unreachable in step 2 */
    request(&core, MSG_CONFIG, 85, cfg, sizeof cfg, out);
    start(5, 86);
    n = run_to_done(10);
    CHECK(n == 3 && error_code(&out[1]) == ERR_MODULE_TRAP && error_text_contains(&out[1], "unreachable") &&
          done_is(&out[2], DONE_TRAP, 1, 0));

    put_u32(cfg + 8, 80); /* AssemblyScript's bounds check aborts with its source position */
    request(&core, MSG_CONFIG, 90, cfg, sizeof cfg, out);
    start(5, 91);
    n = run_to_done(10);
    CHECK(n == 2 && error_code(&out[0]) == ERR_MODULE_TRAP &&
          error_text_contains(&out[0], "step trapped: abort: Index out of range at ~lib/staticarray.ts:") &&
          done_is(&out[1], DONE_TRAP, 0, 0));

    put_u32(cfg + 8, 77); /* abort in init: answered to TRAIN_START itself */
    request(&core, MSG_CONFIG, 87, cfg, sizeof cfg, out);
    n = start(5, 88);
    CHECK(n == 1 && error_code(&out[0]) == ERR_MODULE_TRAP && out[0].seq == 88 &&
          error_text_contains(&out[0], "fixture abort in init") && !core.training);
    uint8_t p[2] = {1, 0};
    CHECK(request(&core, MSG_HELLO, 89, p, 2, out) == 1 && out[0].type == MSG_INFO);
}

static void ring_fetch(void) {
    uint8_t cfg[QIOT_CONFIG_STRUCT_SIZE];
    fixture_config(cfg);
    boot_with_fixture(&core, cfg);
    uint32_t total = QIOT_RING_CAPACITY + 6;
    start(total, 90);
    for (uint32_t i = 0; i < total; i++) {
        core_poll(&core);
        fake_board_take_output(out, MAX_OUT_FRAMES); /* the host "lost" them */
    }
    uint8_t from[4];
    put_u32(from, 1);
    size_t n = request(&core, MSG_TELEMETRY_FETCH, 91, from, 4, out);
    CHECK(n == QIOT_RING_CAPACITY + 1);
    uint32_t first_bad = QIOT_RING_CAPACITY;
    for (uint32_t i = QIOT_RING_CAPACITY; i-- > 0;)
        if (!(telemetry_is(&out[i], 91, 7 + i, 7 + i, 0.125))) first_bad = i;
    CHECKF(first_bad == QIOT_RING_CAPACITY, "fetched frame %u differs", (unsigned)first_bad);
    const out_frame_t *ok = &out[QIOT_RING_CAPACITY];
    CHECK(ok->type == MSG_OK && get_u32(ok->payload) == 7 && get_u32(ok->payload + 4) == total + 1 &&
          get_u32(ok->payload + 8) == 6);
    put_u32(from, total - 1);
    n = request(&core, MSG_TELEMETRY_FETCH, 92, from, 4, out);
    CHECK(n == 3 && telemetry_is(&out[0], 92, total - 1, total - 1, 0.125) && get_u32(out[2].payload + 8) == 0);
    put_u32(from, total + 5);
    n = request(&core, MSG_TELEMETRY_FETCH, 93, from, 4, out);
    CHECK(n == 1 && out[0].type == MSG_OK && get_u32(out[0].payload + 8) == 0);
}

/* TRAIN_START's optional θ (the layerwise schedule): written after init, before the
 * first step; a count other than param_count() or a torn value is BAD_PAYLOAD. */
static void start_theta(void) {
    uint8_t cfg[QIOT_CONFIG_STRUCT_SIZE];
    fixture_config(cfg);
    boot_with_fixture(&core, cfg);
    const double theta[4] = {0.5, -1.25, 2.0, 3.5};
    uint8_t p[7 + 8 * 4];
    put_u32(p, 1);
    p[4] = 0;
    put_u16(p + 5, 3);
    for (int i = 0; i < 4; i++) put_f64(p + 7 + 8 * i, theta[i]);
    CHECK(request(&core, MSG_TRAIN_START, 70, p, 7 + 8 * 3, out) == 1 && error_code(&out[0]) == ERR_BAD_PAYLOAD &&
          !core.training);
    put_u16(p + 5, 4);
    CHECK(request(&core, MSG_TRAIN_START, 71, p, 7 + 8 * 4 - 1, out) == 1 && error_code(&out[0]) == ERR_BAD_PAYLOAD &&
          !core.training);
    CHECK(request(&core, MSG_TRAIN_START, 72, p, 6, out) == 1 && error_code(&out[0]) == ERR_BAD_PAYLOAD);
    CHECK(request(&core, MSG_TRAIN_START, 73, p, sizeof p, out) == 1 && out[0].type == MSG_OK && core.training);
    /* Before the first step (steps run in core_poll), θ is the one sent. */
    CHECK(request(&core, MSG_PARAMS_READ, 74, p, 0, out) == 1 && out[0].type == MSG_OK &&
          get_u16(out[0].payload) == 4 && f64_at(out[0].payload + 2) == 0.5 && f64_at(out[0].payload + 10) == -1.25 &&
          f64_at(out[0].payload + 18) == 2.0 && f64_at(out[0].payload + 26) == 3.5);
    size_t n = run_to_done(10);
    CHECK(n == 2 && done_is(&out[1], DONE_COMPLETED, 1, 0));
}

void test_training(void) {
    completes();
    stop_and_status();
    budget_and_numeric();
    traps_recover();
    ring_fetch();
    start_theta();
    core_teardown(&core);
}
