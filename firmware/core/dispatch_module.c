/* Requests about the module: upload to the store, CONFIG, DATASET, params. */
#include <string.h>

#include "bytes.h"
#include "core.h"
#include "protocol.h"
#include "text.h"

/* PARAMS_READ/WRITE carry at most this many f64 values per frame. */
#define PARAMS_PER_FRAME ((QIOT_MAX_PAYLOAD - 2u) / 8u)

/* Commit-time check: the module must load in a fresh runtime (parse, link,
 * exports, abi_version). The runner is used as the scratch runtime (loading
 * frees the running one first) and unloaded again, so at most one runtime
 * exists at a time. */
static int validate_module(void *ctx, const uint8_t *bytes, uint32_t size, char *err, size_t err_cap) {
    runner_t *runner = (runner_t *)ctx;
    int code = runner_load(runner, bytes, size, err, err_cap);
    runner_unload(runner);
    return code;
}

static bool refuse_while_training(qiot_core_t *c, const frame_t *f) {
    if (!c->training) return false;
    core_send_error(c, f->seq, ERR_BAD_STATE, "not allowed while training; send TRAIN_STOP first");
    return true;
}

static bool refuse_without_module(qiot_core_t *c, const frame_t *f) {
    if (runner_loaded(&c->runner)) return false;
    core_send_error(c, f->seq, ERR_NO_MODULE, "no module loaded; upload one first");
    return true;
}

static void upload_begin(qiot_core_t *c, const frame_t *f) {
    if (f->length != 4 + SHA256_DIGEST_SIZE) {
        core_send_error(c, f->seq, ERR_BAD_PAYLOAD, "UPLOAD_BEGIN carries u32 size and a 32-byte sha256");
        return;
    }
    uint32_t resume = 0;
    int code = store_upload_begin(&c->store, get_u32(f->payload), f->payload + 4, &resume);
    if (code == ERR_UPLOAD_TOO_LARGE) {
        char text[80];
        text_set(text, sizeof text, "module size must be 1..");
        text_append_uint(text, sizeof text, QIOT_SLOT_SIZE);
        text_append(text, sizeof text, " bytes");
        core_send_error(c, f->seq, code, text);
    } else if (code != ERR_NONE) {
        core_send_error(c, f->seq, code, "erasing the upload slot failed");
    } else {
        uint8_t p[4];
        put_u32(p, resume);
        core_send_ok(c, f->seq, p, sizeof p);
    }
}

static void upload_chunk(qiot_core_t *c, const frame_t *f) {
    if (f->length < 5) {
        core_send_error(c, f->seq, ERR_BAD_PAYLOAD, "UPLOAD_CHUNK carries u32 offset and at least one byte");
        return;
    }
    uint32_t received = 0;
    int code = store_upload_chunk(&c->store, get_u32(f->payload), f->payload + 4, f->length - 4u, &received);
    char text[80];
    switch (code) {
    case ERR_NONE: {
        uint8_t p[4];
        put_u32(p, received);
        core_send_ok(c, f->seq, p, sizeof p);
        return;
    }
    case ERR_UPLOAD_OFFSET:
        text_set(text, sizeof text, "expected offset ");
        text_append_uint(text, sizeof text, received);
        break;
    case ERR_BAD_STATE:
        text_set(text, sizeof text, "no upload in progress (UPLOAD_BEGIN first) or slot write failed");
        break;
    default:
        text_set(text, sizeof text, "chunk extends past the size given in UPLOAD_BEGIN");
        break;
    }
    core_send_error(c, f->seq, code, text);
}

static void upload_commit(qiot_core_t *c, const frame_t *f) {
    char err[QIOT_MAX_TEXT];
    int code = store_upload_commit(&c->store, validate_module, &c->runner, err, sizeof err);
    /* Only a commit that reached validation replaced the running runtime; one
     * refused before (no upload, incomplete, hash) keeps its config and θ. */
    if (code == ERR_NONE || !runner_loaded(&c->runner)) core_load_active(c);
    if (code != ERR_NONE) {
        core_send_error(c, f->seq, code, err);
        return;
    }
    uint8_t p[1 + SHA256_DIGEST_SIZE];
    p[0] = (uint8_t)c->store.active_slot;
    memcpy(p + 1, c->store.module_sha, SHA256_DIGEST_SIZE);
    core_send_ok(c, f->seq, p, sizeof p);
}

static void write_config(qiot_core_t *c, const frame_t *f) {
    if (f->length != QIOT_CONFIG_STRUCT_SIZE) {
        core_send_error(c, f->seq, ERR_BAD_PAYLOAD, "CONFIG carries the 160-byte config struct");
        return;
    }
    runner_write_memory(&c->runner, c->runner.config_ptr, f->payload, f->length);
    c->config_written = true;
    core_send_ok(c, f->seq, NULL, 0);
}

static void write_dataset(qiot_core_t *c, const frame_t *f) {
    if (f->length < 4) {
        core_send_error(c, f->seq, ERR_BAD_PAYLOAD, "DATASET carries u32 offset and data");
        return;
    }
    uint32_t offset = get_u32(f->payload);
    uint32_t len = f->length - 4u;
    if (offset > c->runner.dataset_capacity || len > c->runner.dataset_capacity - offset) {
        char text[80];
        text_set(text, sizeof text, "dataset region holds ");
        text_append_uint(text, sizeof text, c->runner.dataset_capacity);
        text_append(text, sizeof text, " bytes");
        core_send_error(c, f->seq, ERR_DATASET_RANGE, text);
        return;
    }
    runner_write_memory(&c->runner, c->runner.dataset_ptr + offset, f->payload + 4, len);
    uint8_t p[4];
    put_u32(p, offset + len);
    core_send_ok(c, f->seq, p, sizeof p);
}

/* param_count() of the initialised module, or -1 after sending an error. */
static int32_t param_count(qiot_core_t *c, const frame_t *f) {
    if (!c->initialised) {
        core_send_error(c, f->seq, ERR_BAD_STATE, "no successful TRAIN_START since the module was loaded");
        return -1;
    }
    int32_t count = 0;
    if (runner_call_i32(&c->runner, FN_PARAM_COUNT, &count) != CALL_OK) {
        core_send_error(c, f->seq, ERR_MODULE_TRAP, runner_trap_text(&c->runner));
        core_load_active(c); /* a trapped runtime is not reused */
        return -1;
    }
    /* θ is read and written in the params region checked at load (max_params). */
    if (count < 0 || (uint32_t)count > c->runner.max_params) {
        char text[80];
        text_set(text, sizeof text, "param_count() outside 0..max_params() = ");
        text_append_uint(text, sizeof text, c->runner.max_params);
        core_send_error(c, f->seq, ERR_MODULE_TRAP, text);
        return -1;
    }
    return count;
}

static void params_read(qiot_core_t *c, const frame_t *f) {
    if (f->length != 0 && f->length != 2) {
        core_send_error(c, f->seq, ERR_BAD_PAYLOAD, "PARAMS_READ carries nothing or a u16 first index");
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
    core_send_ok(c, f->seq, p, 2 + n * 8u);
}

static void params_write(qiot_core_t *c, const frame_t *f) {
    int32_t count = param_count(c, f);
    if (count < 0) return;
    if (f->length < 2 || get_u16(f->payload) != (uint32_t)count || f->length != 2u + 8u * (uint32_t)count) {
        char text[80];
        text_set(text, sizeof text, "PARAMS_WRITE carries u16 count = ");
        text_append_uint(text, sizeof text, (uint32_t)count);
        text_append(text, sizeof text, " and that many f64 values");
        core_send_error(c, f->seq, ERR_BAD_PAYLOAD, text);
        return;
    }
    runner_write_memory(&c->runner, c->runner.params_ptr, f->payload + 2, f->length - 2u);
    core_send_ok(c, f->seq, NULL, 0);
}

void dispatch_module_frame(qiot_core_t *c, const frame_t *f) {
    if (f->type != MSG_PARAMS_READ && refuse_while_training(c, f)) return;
    switch (f->type) {
    case MSG_UPLOAD_BEGIN:
        upload_begin(c, f);
        return;
    case MSG_UPLOAD_CHUNK:
        upload_chunk(c, f);
        return;
    case MSG_UPLOAD_COMMIT:
        upload_commit(c, f);
        return;
    default:
        break;
    }
    if (refuse_without_module(c, f)) return;
    if (f->type == MSG_CONFIG) write_config(c, f);
    else if (f->type == MSG_DATASET) write_dataset(c, f);
    else if (f->type == MSG_PARAMS_READ) params_read(c, f);
    else params_write(c, f);
}
