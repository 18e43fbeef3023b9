/* Training runs: TRAIN_START (init), one step per main-loop pass with
 * TELEMETRY, DONE at the end; a trap ends the run and reloads the module. */
#include <string.h>

#include "board.h"
#include "bytes.h"
#include "handlers.h"
#include "protocol.h"
#include "reply.h"
#include "text.h"

/* After a trap the runtime state is unknown: re-create it from the slot. */
static void recover_from_trap(qiot_core_t *c, uint16_t seq, const char *what) {
    char text[QIOT_MAX_TEXT];
    text_set(text, sizeof text, what);
    text_append(text, sizeof text, runner_trap_text(&c->runner));
    reply_error(seq, ERR_MODULE_TRAP, text);
    state_load_module(c);
}

void handle_train_start(qiot_core_t *c, const frame_t *f) {
    if (f->length > 4 && f->payload[4] > TELEMETRY_PAUSE) {
        reply_error(f->seq, ERR_BAD_PAYLOAD, "TRAIN_START telemetry mode must be 0 (drop oldest) or 1 (pause)");
        return;
    }
    if (!c->config_written) {
        reply_error(f->seq, ERR_BAD_STATE, "no CONFIG since the module was loaded");
        return;
    }
    int32_t code = 0;
    if (runner_call_i32(&c->runner, FN_INIT, &code) != CALL_OK) {
        recover_from_trap(c, f->seq, "init trapped: ");
        return;
    }
    if (code != 0) {
        char text[QIOT_MAX_TEXT];
        c->initialised = false;
        if (runner_error_message(&c->runner, code, text, sizeof text) != CALL_OK) {
            recover_from_trap(c, f->seq, "error_message trapped: ");
            return;
        }
        reply_error(f->seq, ERR_CONFIG_INVALID, text);
        return;
    }
    int32_t params = 0;
    if (runner_call_i32(&c->runner, FN_PARAM_COUNT, &params) != CALL_OK) {
        recover_from_trap(c, f->seq, "param_count trapped: ");
        return;
    }
    c->initialised = true;
    c->training = true;
    c->last_step = 0;
    c->shots_total = 0;
    memset(&c->run, 0, sizeof c->run);
    c->run.steps_target = get_u32(f->payload);
    c->run.telemetry_mode = f->length > 4 ? f->payload[4] : TELEMETRY_DROP_OLDEST;
    /* Records of earlier runs do not hold this one back. */
    if (c->acked < c->ring.next_tseq) c->acked = c->ring.next_tseq;
    uint8_t p[4];
    put_u32(p, (uint32_t)params);
    reply_ok(f->seq, p, sizeof p);
}

void handle_train_stop(qiot_core_t *c, const frame_t *f) {
    /* Idempotent: a STOP racing the end of a run is answered OK too. */
    if (c->training) c->run.stop_requested = true;
    reply_ok(f->seq, NULL, 0);
    if (c->training) train_step(c);
}

static double quiet_nan(void) {
    uint64_t bits = 0x7FF8000000000000ull;
    double v;
    memcpy(&v, &bits, sizeof v);
    return v;
}

static void send_done(qiot_core_t *c, uint32_t status, double train_loss, double test_acc, double test_loss) {
    uint8_t p[40];
    put_u32(p, status);
    put_u32(p + 4, c->run.steps_done);
    put_u64(p + 8, c->shots_total);
    put_f64(p + 16, train_loss);
    put_f64(p + 24, test_acc);
    put_f64(p + 32, test_loss);
    reply_send(MSG_DONE, 0, p, sizeof p);
    c->training = false;
}

static void finish(qiot_core_t *c, uint32_t status) {
    double train_loss = 0, test_acc = 0, test_loss = 0;
    runner_t *r = &c->runner;
    if (runner_call_split_f64(r, FN_EVALUATE, 0, &train_loss) != CALL_OK ||
        runner_call_split_f64(r, FN_ACCURACY, 1, &test_acc) != CALL_OK ||
        runner_call_split_f64(r, FN_EVALUATE, 1, &test_loss) != CALL_OK) {
        recover_from_trap(c, 0, "evaluate trapped: ");
        send_done(c, DONE_TRAP, quiet_nan(), quiet_nan(), quiet_nan());
        return;
    }
    send_done(c, status, train_loss, test_acc, test_loss);
}

static void emit_telemetry(qiot_core_t *c, const uint8_t record[QIOT_TELEMETRY_RECORD_SIZE], uint32_t step_us) {
    uint8_t p[QIOT_TELEMETRY_PAYLOAD_SIZE];
    put_u32(p + 4, step_us);
    memcpy(p + 8, record, QIOT_TELEMETRY_RECORD_SIZE);
    if (c->ring.next_tseq - c->acked >= QIOT_RING_CAPACITY) c->dropped++; /* overwrites an unacknowledged record */
    ring_push(&c->ring, p); /* sets the tseq at p[0..3] */
    reply_send(MSG_TELEMETRY, 0, p, sizeof p);
    c->run.steps_done++;
}

void train_step(qiot_core_t *c) {
    if (c->run.stop_requested) {
        finish(c, DONE_STOPPED);
        return;
    }
    /* Lossless telemetry: no step while the ring holds nothing but records
     * the host has not acknowledged; TELEMETRY_ACK resumes the run. */
    c->run.paused = c->run.telemetry_mode == TELEMETRY_PAUSE && c->ring.next_tseq - c->acked >= QIOT_RING_CAPACITY;
    if (c->run.paused) return;
    int32_t status = 0;
    uint64_t t0 = board_time_us();
    call_result_t call = runner_call_i32(&c->runner, FN_STEP, &status);
    uint64_t elapsed = board_time_us() - t0;
    if (call != CALL_OK) {
        recover_from_trap(c, 0, "step trapped: ");
        send_done(c, DONE_TRAP, quiet_nan(), quiet_nan(), quiet_nan());
        return;
    }
    uint8_t record[QIOT_TELEMETRY_RECORD_SIZE];
    runner_read_memory(&c->runner, c->runner.telemetry_ptr, record, sizeof record);
    c->shots_total = get_u64(record + QIOT_TEL_SHOTS_TOTAL);
    if (status == QIOT_STATUS_BUDGET_EXHAUSTED) {
        finish(c, DONE_BUDGET_EXHAUSTED);
        return;
    }
    if (status != QIOT_STATUS_OK && status != QIOT_STATUS_NUMERIC) {
        char text[80];
        text_set(text, sizeof text, "step returned unexpected status ");
        text_append_uint(text, sizeof text, (uint32_t)status);
        reply_error(0, ERR_MODULE_TRAP, text);
        finish(c, DONE_TRAP);
        return;
    }
    c->last_step = get_u32(record + QIOT_TEL_STEP);
    emit_telemetry(c, record, elapsed > UINT32_MAX ? UINT32_MAX : (uint32_t)elapsed);
    if (status == QIOT_STATUS_NUMERIC) finish(c, DONE_NUMERIC);
    else if (c->run.steps_target && c->run.steps_done >= c->run.steps_target) finish(c, DONE_COMPLETED);
}
