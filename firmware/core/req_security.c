/* PROVISION: trusted keys and control key into the key record
 * (docs/security.md). On a provisioned board the dispatcher has already
 * authenticated it with the current control key. */
#include "handlers.h"
#include "protocol.h"
#include "reply.h"

void handle_provision(qiot_core_t *c, const frame_t *f) {
    char err[QIOT_MAX_TEXT];
    int code = security_provision(&c->security, f->payload, f->length, err, sizeof err);
    if (code != ERR_NONE) reply_error(f->seq, code, err);
    else reply_ok(f->seq, NULL, 0);
}
