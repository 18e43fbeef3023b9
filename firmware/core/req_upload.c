/* Upload requests: a module into the store's inactive slot, then commit. */
#include <string.h>

#include "bytes.h"
#include "handlers.h"
#include "protocol.h"
#include "reply.h"
#include "text.h"

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

void handle_upload_begin(qiot_core_t *c, const frame_t *f) {
    uint32_t resume = 0;
    module_meta_t meta;
    char err[QIOT_MAX_TEXT];
    /* A provisioned board checks the signed manifest here, before a byte is
     * stored: the sha256 it signs is what UPLOAD_COMMIT verifies the slot
     * against before wasm3 sees the module. */
    int code = security_check_module(&c->security, f->payload, f->length, c->store.floor, &meta, err, sizeof err);
    if (code != ERR_NONE) {
        reply_error(f->seq, code, err);
        return;
    }
    code = store_upload_begin(&c->store, get_u32(f->payload), f->payload + 4, &meta, &resume);
    if (code == ERR_UPLOAD_TOO_LARGE) {
        char text[80];
        text_set(text, sizeof text, "module size must be 1..");
        text_append_uint(text, sizeof text, QIOT_SLOT_SIZE);
        text_append(text, sizeof text, " bytes");
        reply_error(f->seq, code, text);
    } else if (code != ERR_NONE) {
        reply_error(f->seq, code, "erasing the upload slot failed");
    } else {
        uint8_t p[4];
        put_u32(p, resume);
        reply_ok(f->seq, p, sizeof p);
    }
}

void handle_upload_chunk(qiot_core_t *c, const frame_t *f) {
    uint32_t received = 0;
    int code = store_upload_chunk(&c->store, get_u32(f->payload), f->payload + 4, f->length - 4u, &received);
    char text[80];
    switch (code) {
    case ERR_NONE: {
        uint8_t p[4];
        put_u32(p, received);
        reply_ok(f->seq, p, sizeof p);
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
    reply_error(f->seq, code, text);
}

void handle_upload_commit(qiot_core_t *c, const frame_t *f) {
    char err[QIOT_MAX_TEXT];
    int code = store_upload_commit(&c->store, validate_module, &c->runner, err, sizeof err);
    /* Only a commit that reached validation replaced the running runtime; one
     * refused before (no upload, incomplete, hash) keeps its config and θ. */
    if (code == ERR_NONE || !runner_loaded(&c->runner)) state_load_module(c);
    if (code != ERR_NONE) {
        reply_error(f->seq, code, err);
        return;
    }
    uint8_t p[1 + SHA256_DIGEST_SIZE];
    p[0] = (uint8_t)c->store.active_slot;
    memcpy(p + 1, c->store.module_sha, SHA256_DIGEST_SIZE);
    reply_ok(f->seq, p, sizeof p);
}
