/* Training runs: TRAIN_START (init), one slice of a step per main-loop pass
 * (QIOT_STEP_SLICE_US), TELEMETRY when a step ends, DONE at the end; a trap
 * ends the run and reloads the module. */
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
    /* Optional start θ after the mode byte: u16 count, then count f64 values. */
    uint32_t theta_count = f->length >= 7 ? get_u16(f->payload + 5) : 0;
    bool has_theta = f->length > 5;
    if (has_theta && (f->length < 7 || f->length != 7u + 8u * theta_count)) {
        reply_error(f->seq, ERR_BAD_PAYLOAD, "TRAIN_START theta: u16 count and that many f64 values");
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
    if (has_theta) {
        if (theta_count != (uint32_t)params) {
            char text[80];
            text_set(text, sizeof text, "TRAIN_START theta count must be param_count() = ");
            text_append_uint(text, sizeof text, (uint32_t)params);
            reply_error(f->seq, ERR_BAD_PAYLOAD, text);
            return;
        }
        runner_write_memory(&c->runner, c->runner.params_ptr, f->payload + 7, 8u * theta_count);
    }
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
    ring_push(&c->ring, p);                                               /* sets the tseq at p[0..3] */
    reply_send(MSG_TELEMETRY, 0, p, sizeof p);
    c->run.steps_done++;
    if (store_count_step(&c->store)) reply_log(LOG_INFO, "module confirmed: its trial steps completed");
}

typedef enum { SLICE_MORE, SLICE_DONE, SLICE_TRAP, SLICE_BAD } slice_t;

/* Runs one slice of the current step (starting one when none is under way):
 * step_continue until the step ends or QIOT_STEP_SLICE_US have passed. When
 * the step ended, *status is its status; SLICE_BAD: step_continue answered
 * *status, outside the ABI. */
static slice_t run_slice(qiot_core_t *c, int32_t *status) {
    uint64_t t0 = board_time_us(), now = t0;
    if (!c->run.stepping) {
        c->run.step_us = 0;
        if (runner_call_i32(&c->runner, FN_STEP_BEGIN, status) != CALL_OK) return SLICE_TRAP;
        c->run.stepping = *status == QIOT_STATUS_OK;
    }
    int32_t more = 0;
    bool continued = false;
    while (c->run.stepping) {
        continued = true;
        if (runner_step_continue(&c->runner, QIOT_STEP_SLICE_UNITS, &more) != CALL_OK) {
            c->run.stepping = false;
            return SLICE_TRAP;
        }
        now = board_time_us();
        if (more != 1) c->run.stepping = false;
        else if (now - t0 >= QIOT_STEP_SLICE_US) break;
    }
    c->run.step_us += now - t0;
    if (c->run.stepping) return SLICE_MORE;
    if (!continued) return SLICE_DONE; /* step_begin refused the step: its status */
    if (more == 0) {
        uint8_t s[4];
        runner_read_memory(&c->runner, c->runner.telemetry_ptr + QIOT_TEL_STATUS, s, sizeof s);
        *status = (int32_t)get_u32(s);
    } else {
        *status = more;
        return SLICE_BAD;
    }
    return SLICE_DONE;
}

void train_step(qiot_core_t *c) {
    if (c->run.stop_requested) {
        c->run.stepping = false; /* the next init()/step_begin() abandons it */
        finish(c, DONE_STOPPED);
        return;
    }
    /* Lossless telemetry: no step while the ring holds nothing but records
     * the host has not acknowledged; TELEMETRY_ACK resumes the run. */
    if (!c->run.stepping) {
        c->run.paused = c->run.telemetry_mode == TELEMETRY_PAUSE && c->ring.next_tseq - c->acked >= QIOT_RING_CAPACITY;
        if (c->run.paused) return;
    }
    int32_t status = 0;
    slice_t slice = run_slice(c, &status);
    if (slice == SLICE_MORE) return;
    if (slice == SLICE_TRAP) {
        recover_from_trap(c, 0, "step trapped: ");
        send_done(c, DONE_TRAP, quiet_nan(), quiet_nan(), quiet_nan());
        return;
    }
    uint8_t record[QIOT_TELEMETRY_RECORD_SIZE];
    runner_read_memory(&c->runner, c->runner.telemetry_ptr, record, sizeof record);
    c->shots_total = get_u64(record + QIOT_TEL_SHOTS_TOTAL);
    if (slice == SLICE_DONE && status == QIOT_STATUS_BUDGET_EXHAUSTED) {
        finish(c, DONE_BUDGET_EXHAUSTED);
        return;
    }
    if (slice == SLICE_BAD || (status != QIOT_STATUS_OK && status != QIOT_STATUS_NUMERIC)) {
        char text[80];
        text_set(text, sizeof text,
                 slice == SLICE_BAD ? "step_continue returned " : "step returned unexpected status ");
        if (status < 0) text_append(text, sizeof text, "-");
        text_append_uint(text, sizeof text, status < 0 ? (uint32_t)0 - (uint32_t)status : (uint32_t)status);
        reply_error(0, ERR_MODULE_TRAP, text);
        finish(c, DONE_TRAP);
        return;
    }
    c->last_step = get_u32(record + QIOT_TEL_STEP);
    uint64_t us = c->run.step_us;
    emit_telemetry(c, record, us > UINT32_MAX ? UINT32_MAX : (uint32_t)us);
    if (status == QIOT_STATUS_NUMERIC) finish(c, DONE_NUMERIC);
    else if (c->run.steps_target && c->run.steps_done >= c->run.steps_target) finish(c, DONE_COMPLETED);
}
