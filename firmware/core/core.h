/* The firmware core: frames in, protocol dispatch, training between frames.
 * Everything the board does lives in one qiot_core_t (static storage). */
#ifndef QIOT_CORE_H
#define QIOT_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "frame.h"
#include "ring.h"
#include "runner.h"
#include "store.h"

typedef struct {
    uint32_t steps_target; /* 0 = until STOP or budget */
    uint32_t steps_done;   /* TELEMETRY frames sent in this run */
    bool stop_requested;
} train_run_t;

typedef struct {
    frame_decoder_t decoder;
    store_t store;
    runner_t runner;
    ring_t ring;
    train_run_t run;
    bool training;
    bool config_written; /* CONFIG since the module was (re)loaded */
    bool initialised;    /* a successful init() since then */
    bool reset_requested;
    uint32_t last_step;     /* `step` of the last telemetry record */
    uint64_t shots_total;   /* `shots_total` of the last telemetry record */
    uint8_t tx[FRAME_MAX_WIRE];
} qiot_core_t;

/* Boots: reads the store and loads the active module. */
void core_init(qiot_core_t *c);
/* Frees the wasm3 runtime (before a reset). */
void core_teardown(qiot_core_t *c);
/* Feeds received bytes; answers every complete frame. */
void core_feed(qiot_core_t *c, const uint8_t *bytes, size_t len);
/* Runs one training step when a run is active. */
void core_poll(qiot_core_t *c);

/* Sends one frame; payloads longer than QIOT_MAX_PAYLOAD are not sent. */
void core_send(qiot_core_t *c, uint8_t type, uint16_t seq, const uint8_t *payload, size_t len);
void core_send_error(qiot_core_t *c, uint16_t seq, int code, const char *text);
void core_send_ok(qiot_core_t *c, uint16_t seq, const uint8_t *payload, size_t len);
void core_send_log(qiot_core_t *c, uint8_t level, const char *text);

/* (Re)loads the active module into the runner; false when there is none or
 * it does not load (a LOG says why). Clears config/init state. */
bool core_load_active(qiot_core_t *c);

/* Handlers (dispatch*.c, train.c). */
void dispatch_frame(qiot_core_t *c, const frame_t *f);
void dispatch_module_frame(qiot_core_t *c, const frame_t *f);
void train_start(qiot_core_t *c, const frame_t *f);
void train_stop(qiot_core_t *c, const frame_t *f);
void train_step(qiot_core_t *c);

/* The board's main loop; returns when the serial link is gone. */
int qiot_main(void);

#endif
