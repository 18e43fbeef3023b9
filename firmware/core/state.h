/* The board's state: everything the core keeps lives in one qiot_core_t
 * (static storage). Handlers read and change it; core.c owns its life cycle. */
#ifndef QIOT_STATE_H
#define QIOT_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "frame.h"
#include "ring.h"
#include "runner.h"
#include "security.h"
#include "store.h"

typedef struct {
    uint32_t steps_target; /* 0 = until STOP or budget */
    uint32_t steps_done;   /* TELEMETRY frames sent in this run */
    bool stop_requested;
    uint8_t telemetry_mode; /* enum qiot_telemetry_mode */
    bool paused;            /* TELEMETRY_PAUSE with a full ring of unacknowledged records */
    bool stepping;          /* a step is started (step_begin) and not finished */
    uint64_t step_us;       /* time spent in the module on the current step */
} train_run_t;

typedef struct {
    frame_decoder_t decoder;
    store_t store;
    security_t security;
    runner_t runner;
    ring_t ring;
    train_run_t run;
    bool training;
    bool config_written; /* CONFIG since the module was (re)loaded */
    bool initialised;    /* a successful init() since then */
    bool reset_requested;
    uint32_t last_step;   /* `step` of the last telemetry record */
    uint64_t shots_total; /* `shots_total` of the last telemetry record */
    uint32_t acked;       /* the host acknowledged every tseq below this (TELEMETRY_ACK) */
    uint32_t dropped;     /* records overwritten in the ring before they were acknowledged */
    uint8_t reset_cause;  /* enum qiot_reset_cause of this boot */
} qiot_core_t;

/* (Re)loads the active module into the runner; false when there is none or
 * it does not load (a LOG says why). Clears config/init state. */
bool state_load_module(qiot_core_t *c);

#endif
