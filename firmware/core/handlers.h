/* The protocol's request handlers, one per request type (dispatch.c's table
 * routes to them after its common checks), and the training step. */
#ifndef QIOT_HANDLERS_H
#define QIOT_HANDLERS_H

#include "frame.h"
#include "state.h"

typedef void request_handler_t(qiot_core_t *c, const frame_t *f);

/* req_link.c: link-level requests. */
request_handler_t handle_hello, handle_status, handle_fetch, handle_telemetry_ack, handle_reset;
/* req_upload.c: the A/B store. */
request_handler_t handle_upload_begin, handle_upload_chunk, handle_upload_commit;
/* req_module.c: the loaded module's memory. */
request_handler_t handle_config, handle_dataset, handle_params_read, handle_params_write;
/* req_security.c: provisioning (docs/security.md). */
request_handler_t handle_provision;
/* train.c: training runs. */
request_handler_t handle_train_start, handle_train_stop;
/* Runs one step of the active run (called once per main-loop pass). */
void train_step(qiot_core_t *c);

#endif
