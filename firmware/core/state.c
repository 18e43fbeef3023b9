#include "state.h"

#include "protocol.h"
#include "reply.h"

bool state_load_module(qiot_core_t *c) {
    c->config_written = false;
    c->initialised = false;
    runner_unload(&c->runner);
    uint32_t size = 0;
    const uint8_t *bytes = store_active_module(&c->store, &size);
    if (!bytes) return false;
    char err[QIOT_MAX_TEXT];
    if (runner_load(&c->runner, bytes, size, err, sizeof err) != ERR_NONE) {
        reply_log(LOG_ERROR, err);
        return false;
    }
    return true;
}
