/* Requests into the loaded module's memory: CONFIG, DATASET, params. */
#include "bytes.h"
#include "handlers.h"
#include "protocol.h"
#include "reply.h"
#include "text.h"

/* PARAMS_READ/WRITE carry at most this many f64 values per frame. */
#define PARAMS_PER_FRAME ((QIOT_MAX_PAYLOAD - 2u) / 8u)

void handle_config(qiot_core_t *c, const frame_t *f) {
    runner_write_memory(&c->runner, c->runner.config_ptr, f->payload, f->length);
    c->config_written = true;
    reply_ok(f->seq, NULL, 0);
}

void handle_dataset(qiot_core_t *c, const frame_t *f) {
    uint32_t offset = get_u32(f->payload);
    uint32_t len = f->length - 4u;
    if (offset > c->runner.dataset_capacity || len > c->runner.dataset_capacity - offset) {
        char text[80];
        text_set(text, sizeof text, "dataset region holds ");
        text_append_uint(text, sizeof text, c->runner.dataset_capacity);
        text_append(text, sizeof text, " bytes");
        reply_error(f->seq, ERR_DATASET_RANGE, text);
        return;
    }
    runner_write_memory(&c->runner, c->runner.dataset_ptr + offset, f->payload + 4, len);
    uint8_t p[4];
    put_u32(p, offset + len);
    reply_ok(f->seq, p, sizeof p);
}

/* param_count() of the initialised module, or -1 after sending an error. */
static int32_t param_count(qiot_core_t *c, const frame_t *f) {
    if (!c->initialised) {
        reply_error(f->seq, ERR_BAD_STATE, "no successful TRAIN_START since the module was loaded");
        return -1;
    }
    int32_t count = 0;
    if (runner_call_i32(&c->runner, FN_PARAM_COUNT, &count) != CALL_OK) {
        reply_error(f->seq, ERR_MODULE_TRAP, runner_trap_text(&c->runner));
        state_load_module(c); /* a trapped runtime is not reused */
        return -1;
    }
    /* θ is read and written in the params region checked at load (max_params). */
    if (count < 0 || (uint32_t)count > c->runner.max_params) {
        char text[80];
        text_set(text, sizeof text, "param_count() outside 0..max_params() = ");
        text_append_uint(text, sizeof text, c->runner.max_params);
        reply_error(f->seq, ERR_MODULE_TRAP, text);
        return -1;
    }
    return count;
}

void handle_params_read(qiot_core_t *c, const frame_t *f) {
    if (f->length == 1) {
        reply_error(f->seq, ERR_BAD_PAYLOAD, "PARAMS_READ carries nothing or a u16 first index");
        return;
    }
    int32_t count = param_count(c, f);
    if (count < 0) return;
    uint32_t first = f->length == 2 ? get_u16(f->payload) : 0;
    if (first > (uint32_t)count) first = (uint32_t)count;
    uint32_t n = (uint32_t)count - first;
    if (n > PARAMS_PER_FRAME) n = PARAMS_PER_FRAME;
    uint8_t p[2 + PARAMS_PER_FRAME * 8];
    put_u16(p, (uint16_t)count);
    runner_read_memory(&c->runner, c->runner.params_ptr + first * 8u, p + 2, n * 8u);
    reply_ok(f->seq, p, 2 + n * 8u);
}

void handle_params_write(qiot_core_t *c, const frame_t *f) {
    int32_t count = param_count(c, f);
    if (count < 0) return;
    if (get_u16(f->payload) != (uint32_t)count || f->length != 2u + 8u * (uint32_t)count) {
        char text[80];
        text_set(text, sizeof text, "PARAMS_WRITE carries u16 count = ");
        text_append_uint(text, sizeof text, (uint32_t)count);
        text_append(text, sizeof text, " and that many f64 values");
        reply_error(f->seq, ERR_BAD_PAYLOAD, text);
        return;
    }
    runner_write_memory(&c->runner, c->runner.params_ptr, f->payload + 2, f->length - 2u);
    reply_ok(f->seq, NULL, 0);
}
