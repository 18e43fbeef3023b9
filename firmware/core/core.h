/* The firmware core: frames in, protocol dispatch, training between frames.
 * Layers, each using only those after it: core → dispatch → handlers
 * (req_*.c, train.c) → state → reply. */
#ifndef QIOT_CORE_H
#define QIOT_CORE_H

#include <stddef.h>
#include <stdint.h>

#include "state.h"

/* Boots: reads the store and loads the active module. */
void core_init(qiot_core_t *c);
/* Frees the wasm3 runtime (before a reset). */
void core_teardown(qiot_core_t *c);
/* Feeds received bytes; answers every complete frame. Stops after a RESET
 * request; returns the bytes consumed (len unless a RESET came first). */
size_t core_feed(qiot_core_t *c, const uint8_t *bytes, size_t len);
/* Runs one training step when a run is active. */
void core_poll(qiot_core_t *c);

/* The board's main loop; returns when the serial link is gone. */
int qiot_main(void);

#endif
