/* Routes request frames through one table: each request type with its
 * handler and the checks every request gets before its handler runs. */
#ifndef QIOT_DISPATCH_H
#define QIOT_DISPATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "handlers.h"

typedef struct {
    uint8_t type;     /* enum qiot_msg_type */
    const char *name; /* as in docs/protocol.md */
    request_handler_t *handler;
    uint16_t min_len, max_len; /* payload bytes, else BAD_PAYLOAD */
    const char *payload;       /* what the payload carries, for that text */
    bool needs_module;         /* NO_MODULE without a loaded module */
    bool idle_only;            /* BAD_STATE while training */
} request_t;

extern const request_t dispatch_requests[];
extern const size_t dispatch_request_count;

/* The table entry for a request type, or NULL. */
const request_t *dispatch_find(uint8_t type);

/* Checks, in this order: authentication on a provisioned board
 * (UNAUTHENTICATED, docs/security.md), known type (UNKNOWN_TYPE), payload
 * length (BAD_PAYLOAD), idle (BAD_STATE), module (NO_MODULE); then the
 * handler, which sees the payload without its authentication trailer. */
void dispatch_frame(qiot_core_t *c, const frame_t *f);

#endif
