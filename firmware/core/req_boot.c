/* Trial boot requests (docs/reliability.md): CONFIRM ends the active
 * module's trial, ROLLBACK makes the previous module active again. */
#include <string.h>

#include "handlers.h"
#include "protocol.h"
#include "reply.h"
#include "text.h"

void handle_confirm(qiot_core_t *c, const frame_t *f) {
    if (c->store.active_slot == STORE_NO_SLOT) {
        reply_error(f->seq, ERR_NO_MODULE, "no module committed");
        return;
    }
    if (store_confirm(&c->store) != ERR_NONE) {
        reply_error(f->seq, ERR_BAD_STATE, "writing the commit record failed");
        return;
    }
    reply_ok(f->seq, NULL, 0);
}

void handle_rollback(qiot_core_t *c, const frame_t *f) {
    const store_record_t *prev = &c->store.previous;
    char text[QIOT_MAX_TEXT];
    /* A provisioned board rolls back only to a signed module at or above the
     * anti-rollback floor, the rule UPLOAD_BEGIN applies. */
    if (prev->valid && c->security.provisioned && (!prev->meta.verified || prev->meta.counter < c->store.floor)) {
        if (!prev->meta.verified) {
            text_set(text, sizeof text,
                     "the previous module is unsigned; a provisioned board runs signed modules only");
        } else {
            text_set(text, sizeof text, "the previous module's anti-rollback counter ");
            text_append_uint(text, sizeof text, prev->meta.counter);
            text_append(text, sizeof text, " is below the floor ");
            text_append_uint(text, sizeof text, c->store.floor);
        }
        reply_error(f->seq, ERR_ROLLBACK, text);
        return;
    }
    int code = store_switch_to_previous(&c->store, BOOT_EVENT_ROLLED_BACK, RESET_CAUSE_POWER_ON, text, sizeof text);
    if (code != ERR_NONE) {
        reply_error(f->seq, code, text);
        return;
    }
    if (!state_load_module(c)) {
        reply_error(f->seq, ERR_MODULE_INVALID, "the previous module is active again but does not load");
        return;
    }
    uint8_t p[1 + SHA256_DIGEST_SIZE];
    p[0] = (uint8_t)c->store.active_slot;
    memcpy(p + 1, c->store.module_sha, SHA256_DIGEST_SIZE);
    reply_ok(f->seq, p, sizeof p);
}
