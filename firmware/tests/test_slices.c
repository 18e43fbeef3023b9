/* Never deaf (issue 15): a step runs in slices, one per core_poll, so the
 * link is served during a long step. The fixture's config field `batch` sets
 * its evaluation units per step; the fake clock advances 1 ms per reading,
 * so a QIOT_STEP_SLICE_US slice covers about 20 units. */
#include <math.h>
#include <string.h>

#include "bytes.h"
#include "harness.h"
#include "protocol.h"
#include "test_util.h"

static qiot_core_t core;
static out_frame_t out[MAX_OUT_FRAMES];

static void boot_with_units(uint32_t units) {
    uint8_t cfg[QIOT_CONFIG_STRUCT_SIZE];
    fixture_config(cfg);
    put_u32(cfg + QIOT_CFG_BATCH, units);
    boot_with_fixture(&core, cfg);
    uint8_t p[4];
    put_u32(p, 0);
    CHECK(request(&core, MSG_TRAIN_START, 1, p, 4, out) == 1 && out[0].type == MSG_OK);
}

/* A step of 100 units takes several slices, sends nothing before it ends
 * and then the same record as an unsliced step. */
static void long_step_completes(void) {
    boot_with_units(100);
    int polls = 0;
    size_t n = 0;
    while (n == 0 && polls < 1000) {
        core_poll(&core);
        polls++;
        n = fake_board_take_output(out, MAX_OUT_FRAMES);
    }
    CHECK(polls >= 3 && polls <= 10); /* 100 units at ~20 per slice */
    const uint8_t *r = out[0].payload + 8;
    CHECK(n == 1 && out[0].type == MSG_TELEMETRY && get_u32(out[0].payload) == 1 && get_u32(r) == 1 &&
          get_u32(r + 4) == 0 && f64_at(r + 32) == 1.0 && f64_at(r + 40) == 0.125 && isnan(f64_at(r + 56)));
    /* step_us is the module time over all slices: one clock tick per unit. */
    CHECK(get_u32(out[0].payload + 4) >= 100 * 1000);
    CHECK(request(&core, MSG_TRAIN_STOP, 2, NULL, 0, out) == 2 && out[1].type == MSG_DONE &&
          get_u32(out[1].payload + 4) == 1);
}

/* During a step of 10⁶ units (~50 000 slices) HELLO and STATUS are answered
 * between slices, STOP ends the run at once, and the started step never
 * reports: the step count stays where it was. θ is unchanged. */
static void long_step_answers_and_stops(void) {
    boot_with_units(1000000);
    for (int i = 0; i < 5; i++) core_poll(&core);
    CHECK(fake_board_take_output(out, MAX_OUT_FRAMES) == 0);
    CHECK(core.run.stepping);
    uint8_t v[2];
    put_u16(v, QIOT_PROTOCOL_VERSION);
    CHECK(request(&core, MSG_HELLO, 3, v, 2, out) == 1 && out[0].type == MSG_INFO && out[0].seq == 3);
    size_t n = request(&core, MSG_STATUS_REQUEST, 4, NULL, 0, out);
    CHECK(n == 1 && out[0].type == MSG_STATUS && out[0].payload[0] == STATE_TRAINING &&
          get_u32(out[0].payload + 1) == 0);
    core_poll(&core);
    n = request(&core, MSG_TRAIN_STOP, 5, NULL, 0, out);
    CHECK(n == 2 && out[0].type == MSG_OK && out[0].seq == 5 && out[1].type == MSG_DONE &&
          get_u32(out[1].payload) == DONE_STOPPED && get_u32(out[1].payload + 4) == 0);
    CHECK(!core.training && !core.run.stepping);
    for (int i = 0; i < 5; i++) core_poll(&core);
    CHECK(fake_board_take_output(out, MAX_OUT_FRAMES) == 0);
    /* θ as init() left it (θ_i = 0.5·i): the abandoned step changed nothing. */
    uint8_t theta[8];
    runner_read_memory(&core.runner, core.runner.params_ptr + 8, theta, sizeof theta);
    CHECK(f64_at(theta) == 0.5);
    /* A new run starts afresh: step 1 from init(), whole after ~50 000 slices. */
    uint8_t p[4];
    put_u32(p, 1);
    CHECK(request(&core, MSG_TRAIN_START, 6, p, 4, out) == 1 && out[0].type == MSG_OK);
    for (int i = 0; i < 200000 && core.training; i++) core_poll(&core);
    n = fake_board_take_output(out, MAX_OUT_FRAMES);
    CHECK(n == 2 && out[0].type == MSG_TELEMETRY && get_u32(out[0].payload + 8) == 1 && out[1].type == MSG_DONE &&
          get_u32(out[1].payload) == DONE_COMPLETED && get_u32(out[1].payload + 4) == 1);
}

/* A trap in the last slice of a step ends the run like an unsliced one. */
static void trap_in_a_slice(void) {
    uint8_t cfg[QIOT_CONFIG_STRUCT_SIZE];
    fixture_config(cfg);
    put_u32(cfg + QIOT_CFG_BATCH, 60);
    put_u32(cfg + QIOT_CFG_LAYERS, 79); /* step 2 hits unreachable */
    boot_with_fixture(&core, cfg);
    uint8_t p[4];
    put_u32(p, 0);
    CHECK(request(&core, MSG_TRAIN_START, 7, p, 4, out) == 1 && out[0].type == MSG_OK);
    for (int i = 0; i < 100 && core.training; i++) core_poll(&core);
    size_t n = fake_board_take_output(out, MAX_OUT_FRAMES);
    CHECK(!core.training && !core.run.stepping);
    CHECK(n >= 3 && out[0].type == MSG_TELEMETRY && error_code(&out[n - 2]) == ERR_MODULE_TRAP &&
          out[n - 1].type == MSG_DONE && get_u32(out[n - 1].payload) == DONE_TRAP &&
          get_u32(out[n - 1].payload + 4) == 1);
}

void test_slices(void) {
    long_step_completes();
    long_step_answers_and_stops();
    trap_in_a_slice();
    core_teardown(&core);
}
