/* Trial boot (docs/reliability.md): a module committed over another is
 * pending; a boot that finds it pending reverts to the previous module and
 * says why; CONFIRM or QIOT_TRIAL_STEPS steps end the trial; ROLLBACK
 * switches to the previous module and back; the watchdog is armed around
 * every call into the module. */
#include <string.h>

#include "bytes.h"
#include "harness.h"
#include "protocol.h"
#include "test_util.h"

static qiot_core_t core;
static out_frame_t out[MAX_OUT_FRAMES];

/* INFO's boot section: after the 99 bytes of the fixed and security parts. */
typedef struct {
    uint8_t flags, event, event_from, reset_cause;
    uint32_t steps_left, previous_size;
    uint8_t previous_sha[32], active_sha[32];
    uint8_t active_slot;
} boot_info_t;

static boot_info_t info(void) {
    boot_info_t b = {0};
    uint8_t p[2];
    put_u16(p, 1);
    size_t n = request(&core, MSG_HELLO, 9, p, 2, out);
    CHECK(n == 1 && out[0].type == MSG_INFO && out[0].length == 143);
    const uint8_t *i = out[0].payload;
    b.active_slot = i[18];
    memcpy(b.active_sha, i + 23, 32);
    b.flags = i[99];
    b.event = i[100];
    b.event_from = i[101];
    b.reset_cause = i[102];
    b.steps_left = get_u32(i + 103);
    b.previous_size = get_u32(i + 107);
    memcpy(b.previous_sha, i + 111, 32);
    return b;
}

static void reboot(uint8_t cause) {
    fake_board_set_reset_cause(cause);
    core_teardown(&core);
    core_init(&core);
    core.decoder.synced = true;
    fake_board_take_output(NULL, 0);
}

static bool sha_is(const uint8_t sha[32], const uint8_t *module, uint32_t len) {
    uint8_t digest[32];
    sha256(module, len, digest);
    return memcmp(sha, digest, 32) == 0;
}

static size_t train(uint32_t steps) {
    uint8_t p[4];
    put_u32(p, steps);
    size_t n = request(&core, MSG_TRAIN_START, 20, p, 4, out);
    CHECK(n == 1 && out[0].type == MSG_OK);
    for (int i = 0; i < 1000 && core.training; i++) core_poll(&core);
    CHECK(!core.training);
    return fake_board_take_output(out, MAX_OUT_FRAMES);
}

/* Boots with the fixture (A) confirmed and the variant (B) committed over it. */
static void a_then_b(uint32_t *a_len, uint32_t *b_len, const uint8_t **a, const uint8_t **b) {
    uint8_t cfg[QIOT_CONFIG_STRUCT_SIZE];
    fixture_config(cfg);
    boot_with_fixture(&core, cfg);
    *a = fixture_module(a_len);
    *b = fixture_module_variant(b_len);
    CHECK(!core.store.pending); /* the first module has nothing to revert to */
    CHECK(upload_via_frames(&core, *b, *b_len).type == MSG_OK);
}

static void reset_while_pending_reverts(void) {
    uint32_t a_len, b_len;
    const uint8_t *a, *b;
    a_then_b(&a_len, &b_len, &a, &b);
    boot_info_t i = info();
    CHECK(i.flags == 3 && i.steps_left == QIOT_TRIAL_STEPS && sha_is(i.active_sha, b, b_len));
    CHECK(i.previous_size == a_len && sha_is(i.previous_sha, a, a_len));

    reboot(RESET_CAUSE_WATCHDOG);
    i = info();
    CHECK(sha_is(i.active_sha, a, a_len) && i.active_slot == 0);
    CHECK(i.flags == 2 && i.event == BOOT_EVENT_REVERTED && i.event_from == RESET_CAUSE_WATCHDOG);
    CHECK(i.reset_cause == RESET_CAUSE_WATCHDOG && i.steps_left == 0);
    /* The reverted module is the previous one now, still marked pending. */
    CHECK(i.previous_size == b_len && sha_is(i.previous_sha, b, b_len) && core.store.previous.pending);
    uint8_t cfg[QIOT_CONFIG_STRUCT_SIZE];
    fixture_config(cfg);
    CHECK(request(&core, MSG_CONFIG, 4, cfg, sizeof cfg, out) == 1 && out[0].type == MSG_OK);
    CHECK(train(2) == 3 && out[2].type == MSG_DONE && get_u32(out[2].payload) == DONE_COMPLETED);

    /* The revert is kept: another power-on boots A and still says why. */
    reboot(RESET_CAUSE_POWER_ON);
    i = info();
    CHECK(sha_is(i.active_sha, a, a_len) && i.event == BOOT_EVENT_REVERTED && i.reset_cause == RESET_CAUSE_POWER_ON);

    /* A RESET request while pending reverts too. */
    CHECK(upload_via_frames(&core, b, b_len).type == MSG_OK && core.store.pending);
    reboot(RESET_CAUSE_REQUEST);
    i = info();
    CHECK(sha_is(i.active_sha, a, a_len) && i.event_from == RESET_CAUSE_REQUEST);
}

static void confirm_keeps_the_module(void) {
    uint32_t a_len, b_len;
    const uint8_t *a, *b;
    a_then_b(&a_len, &b_len, &a, &b);
    CHECK(request(&core, MSG_CONFIRM, 30, NULL, 0, out) == 1 && out[0].type == MSG_OK && out[0].seq == 30);
    CHECK(!core.store.pending && info().flags == 2);
    reboot(RESET_CAUSE_WATCHDOG);
    boot_info_t i = info();
    CHECK(sha_is(i.active_sha, b, b_len) && i.event == BOOT_EVENT_NONE && i.reset_cause == RESET_CAUSE_WATCHDOG);
    CHECK(i.previous_size == a_len); /* confirming kept the previous module for ROLLBACK */
    /* CONFIRM again, with nothing pending: OK, nothing written. */
    uint32_t writes = fake_board_record_writes(0) + fake_board_record_writes(1);
    CHECK(request(&core, MSG_CONFIRM, 31, NULL, 0, out) == 1 && out[0].type == MSG_OK);
    CHECK(fake_board_record_writes(0) + fake_board_record_writes(1) == writes);
    CHECK(request(&core, MSG_CONFIRM, 32, (const uint8_t *)"x", 1, out) == 1 && error_code(&out[0]) == ERR_BAD_PAYLOAD);
}

static void trial_steps_confirm(void) {
    uint32_t a_len, b_len;
    const uint8_t *a, *b;
    a_then_b(&a_len, &b_len, &a, &b);
    uint8_t cfg[QIOT_CONFIG_STRUCT_SIZE];
    fixture_config(cfg);
    CHECK(request(&core, MSG_CONFIG, 4, cfg, sizeof cfg, out) == 1 && out[0].type == MSG_OK);
    size_t n = train(QIOT_TRIAL_STEPS - 1);
    CHECK(n == QIOT_TRIAL_STEPS && core.store.pending && info().steps_left == 1);
    n = train(2); /* TELEMETRY, the LOG of the confirmation, TELEMETRY, DONE */
    CHECK(n == 4 && out[1].type == MSG_LOG && !core.store.pending && info().steps_left == 0);
    reboot(RESET_CAUSE_CRASH);
    CHECK(sha_is(info().active_sha, b, b_len));
}

static void torn_confirm_falls_back(void) {
    uint32_t a_len, b_len;
    const uint8_t *a, *b;
    a_then_b(&a_len, &b_len, &a, &b);
    fake_board_tear_next_record_write(20);
    CHECK(request(&core, MSG_CONFIRM, 33, NULL, 0, out) == 1 && error_code(&out[0]) == ERR_BAD_STATE);
    reboot(RESET_CAUSE_POWER_ON);
    CHECK(sha_is(info().active_sha, a, a_len)); /* the previous module, as a failed trial */
}

static void rollback_switches(void) {
    uint32_t a_len, b_len;
    const uint8_t *a, *b;
    a_then_b(&a_len, &b_len, &a, &b);
    CHECK(request(&core, MSG_CONFIRM, 30, NULL, 0, out) == 1 && out[0].type == MSG_OK);
    CHECK(request(&core, MSG_ROLLBACK, 40, NULL, 0, out) == 1 && out[0].type == MSG_OK && out[0].length == 33);
    CHECK(out[0].payload[0] == 0 && sha_is(out[0].payload + 1, a, a_len));
    boot_info_t i = info();
    CHECK(sha_is(i.active_sha, a, a_len) && i.event == BOOT_EVENT_ROLLED_BACK && sha_is(i.previous_sha, b, b_len));
    /* The module loaded: it takes a config and trains. */
    uint8_t cfg[QIOT_CONFIG_STRUCT_SIZE];
    fixture_config(cfg);
    CHECK(request(&core, MSG_CONFIG, 4, cfg, sizeof cfg, out) == 1 && out[0].type == MSG_OK);
    CHECK(train(1) == 2 && out[1].type == MSG_DONE);
    /* Kept over a reboot, and a second ROLLBACK goes back to B (confirmed: no trial). */
    reboot(RESET_CAUSE_POWER_ON);
    CHECK(sha_is(info().active_sha, a, a_len));
    CHECK(request(&core, MSG_ROLLBACK, 41, NULL, 0, out) == 1 && out[0].type == MSG_OK && out[0].payload[0] == 1);
    CHECK(sha_is(info().active_sha, b, b_len) && !core.store.pending);
    /* Not while training. */
    CHECK(request(&core, MSG_CONFIG, 4, cfg, sizeof cfg, out) == 1 && out[0].type == MSG_OK);
    uint8_t p[4];
    put_u32(p, 0);
    CHECK(request(&core, MSG_TRAIN_START, 42, p, 4, out) == 1 && out[0].type == MSG_OK);
    CHECK(request(&core, MSG_ROLLBACK, 43, NULL, 0, out) >= 1 && error_code(&out[0]) == ERR_BAD_STATE);
    request(&core, MSG_TRAIN_STOP, 44, NULL, 0, out);
    /* An upload replaces the previous module: nothing to roll back to. */
    fake_board_take_output(NULL, 0);
    CHECK(upload_via_frames(&core, a, a_len).type == MSG_OK && core.store.pending);
    reboot(RESET_CAUSE_POWER_ON); /* reverts to B; A's slot still holds A, so it is the previous one */
    CHECK(sha_is(info().active_sha, b, b_len));
    uint8_t begin[36];
    put_u32(begin, a_len);
    sha256(a, a_len, begin + 4);
    CHECK(request(&core, MSG_UPLOAD_BEGIN, 45, begin, sizeof begin, out) == 1 && out[0].type == MSG_OK);
    CHECK(request(&core, MSG_ROLLBACK, 46, NULL, 0, out) == 1 && error_code(&out[0]) == ERR_NO_MODULE);
    CHECK(error_text_contains(&out[0], "upload"));
}

static void no_previous_module(void) {
    fake_board_wipe();
    reboot(RESET_CAUSE_POWER_ON);
    CHECK(request(&core, MSG_ROLLBACK, 50, NULL, 0, out) == 1 && error_code(&out[0]) == ERR_NO_MODULE);
    CHECK(request(&core, MSG_CONFIRM, 51, NULL, 0, out) == 1 && error_code(&out[0]) == ERR_NO_MODULE);
}

static void watchdog_around_calls(void) {
    uint8_t cfg[QIOT_CONFIG_STRUCT_SIZE];
    fixture_config(cfg);
    boot_with_fixture(&core, cfg);
    uint32_t before = fake_board_watchdog_arms();
    CHECK(train(2) == 3);
    /* init, param_count, then per step step_begin + step_continue(s), then evaluate, accuracy, evaluate. */
    CHECK(fake_board_watchdog_arms() - before >= 2 + 2 * 2 + 3);
    CHECK(fake_board_watchdog_ms() == 0); /* disarmed between calls */
}

void test_trial(void) {
    reset_while_pending_reverts();
    confirm_keeps_the_module();
    trial_steps_confirm();
    torn_confirm_falls_back();
    rollback_switches();
    no_previous_module();
    watchdog_around_calls();
}
