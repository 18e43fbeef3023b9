#include "dispatch.h"

#include "protocol.h"
#include "qiot_requests.h"
#include "reply.h"
#include "text.h"

/* The rows come from abi/qiot-protocol.ts (qiot_requests.h). Handlers check
 * payload contents beyond these bounds (e.g. PARAMS_WRITE's count) with their
 * own, more specific texts. */
#define REQUEST_ROW(symbol, name, handler, min, max, carries, module, idle, auth)                                      \
    {MSG_##symbol, name, handle_##handler, min, max, carries, module, idle},
const request_t dispatch_requests[] = {QIOT_REQUESTS(REQUEST_ROW)};
#undef REQUEST_ROW
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
