#include "dispatch.h"

#include "protocol.h"
#include "reply.h"
#include "text.h"

/* Handlers check payload contents beyond these bounds (e.g. PARAMS_WRITE's
 * count) with their own, more specific texts. */
const request_t dispatch_requests[] = {
    /* type, name, handler, min, max, payload, needs module, idle only */
    {MSG_HELLO, "HELLO", handle_hello, 2, 2, "a u16 protocol version", false, false},
    {MSG_UPLOAD_BEGIN, "UPLOAD_BEGIN", handle_upload_begin, 36, 36 + 11 + QIOT_MAX_TARGET_NAME + 64,
     "u32 size and a 32-byte sha256, optionally followed by a signed manifest", false, true},
    {MSG_UPLOAD_CHUNK, "UPLOAD_CHUNK", handle_upload_chunk, 5, QIOT_MAX_PAYLOAD, "u32 offset and at least one byte",
     false, true},
    {MSG_UPLOAD_COMMIT, "UPLOAD_COMMIT", handle_upload_commit, 0, 0, "no payload", false, true},
    {MSG_CONFIG, "CONFIG", handle_config, QIOT_CONFIG_STRUCT_SIZE, QIOT_CONFIG_STRUCT_SIZE,
     "the 192-byte config struct", true, true},
    {MSG_DATASET, "DATASET", handle_dataset, 4, QIOT_MAX_PAYLOAD, "u32 offset and data", true, true},
    {MSG_TRAIN_START, "TRAIN_START", handle_train_start, 4, 5, "a u32 step count and optionally a u8 telemetry mode",
     true, true},
    {MSG_TRAIN_STOP, "TRAIN_STOP", handle_train_stop, 0, 0, "no payload", false, false},
    {MSG_STATUS_REQ, "STATUS", handle_status, 0, 0, "no payload", false, false},
    {MSG_TELEMETRY_FETCH, "TELEMETRY_FETCH", handle_fetch, 4, 4, "a u32 from_tseq", false, false},
    {MSG_TELEMETRY_ACK, "TELEMETRY_ACK", handle_telemetry_ack, 4, 4, "a u32 next_tseq", false, false},
    {MSG_RESET, "RESET", handle_reset, 0, 0, "no payload", false, false},
    {MSG_PARAMS_READ, "PARAMS_READ", handle_params_read, 0, 2, "nothing or a u16 first index", true, false},
    {MSG_PARAMS_WRITE, "PARAMS_WRITE", handle_params_write, 2, QIOT_MAX_PAYLOAD, "u16 count and that many f64 values",
     true, true},
    {MSG_PROVISION, "PROVISION", handle_provision, 1, 1 + QIOT_MAX_TRUSTED_KEYS * 32 + QIOT_CONTROL_KEY_SIZE,
     "u8 n, n 32-byte public keys and a 32-byte control key", false, true},
};
const size_t dispatch_request_count = sizeof dispatch_requests / sizeof dispatch_requests[0];

const request_t *dispatch_find(uint8_t type) {
    for (size_t i = 0; i < dispatch_request_count; i++)
        if (dispatch_requests[i].type == type) return &dispatch_requests[i];
    return NULL;
}

void dispatch_frame(qiot_core_t *c, const frame_t *received) {
    const request_t *r = dispatch_find(received->type);
    char text[QIOT_MAX_TEXT];
    /* A provisioned board checks the authentication trailer first and hands
     * the rest of the checks and the handler the payload without it. */
    frame_t stripped = *received;
    const frame_t *f = &stripped;
    if (r && security_requires_auth(&c->security, r->type) &&
        security_authenticate(&c->security, r->type, stripped.payload, &stripped.length, text, sizeof text) !=
            ERR_NONE) {
        reply_error(f->seq, ERR_UNAUTHENTICATED, text);
    } else if (!r) {
        text_set(text, sizeof text, "unknown request type ");
        text_append_hex8(text, sizeof text, f->type);
        reply_error(f->seq, ERR_UNKNOWN_TYPE, text);
    } else if (f->length < r->min_len || f->length > r->max_len) {
        text_set(text, sizeof text, r->name);
        text_append(text, sizeof text, " carries ");
        text_append(text, sizeof text, r->payload);
        reply_error(f->seq, ERR_BAD_PAYLOAD, text);
    } else if (r->idle_only && c->training) {
        reply_error(f->seq, ERR_BAD_STATE, "not allowed while training; send TRAIN_STOP first");
    } else if (r->needs_module && !runner_loaded(&c->runner)) {
        reply_error(f->seq, ERR_NO_MODULE, "no module loaded; upload one first");
    } else {
        r->handler(c, f);
    }
}
