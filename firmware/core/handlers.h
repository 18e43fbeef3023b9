/* The protocol's request handlers, one per request type (dispatch.c's table
 * routes to them after its common checks), and the training step. */
#ifndef QIOT_HANDLERS_H
#define QIOT_HANDLERS_H

#include "frame.h"
#include "qiot_requests.h"
#include "state.h"

typedef void request_handler_t(qiot_core_t *c, const frame_t *f);

/* handle_<handler> of every row of qiot_requests.h (generated from
 * abi/qiot-protocol.ts), each written in the req_*.c of its area (or train.c). */
#define DECLARE_HANDLER(symbol, name, handler, min, max, carries, module, idle, auth)                                  \
    request_handler_t handle_##handler;
QIOT_REQUESTS(DECLARE_HANDLER)
#undef DECLARE_HANDLER
/* Runs one step of the active run (called once per main-loop pass). */
void train_step(qiot_core_t *c);

#endif
