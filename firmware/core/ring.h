/* Telemetry ring: the last QIOT_RING_CAPACITY TELEMETRY payloads, by tseq. */
#ifndef QIOT_RING_H
#define QIOT_RING_H

#include <stdint.h>

#include "qiot_config.h"

typedef struct {
    uint8_t payload[QIOT_RING_CAPACITY][QIOT_TELEMETRY_PAYLOAD_SIZE];
    uint32_t next_tseq; /* tseq the next pushed payload gets; starts at 1 */
    uint32_t count;     /* payloads held, ≤ capacity */
} ring_t;

void ring_init(ring_t *r);
/* Stores a payload whose first 4 bytes will be set to the new tseq; returns it. */
uint32_t ring_push(ring_t *r, uint8_t payload[QIOT_TELEMETRY_PAYLOAD_SIZE]);
/* Oldest tseq held (== next_tseq when empty). */
uint32_t ring_first_held(const ring_t *r);
/* The payload for tseq, or NULL when not held. */
const uint8_t *ring_get(const ring_t *r, uint32_t tseq);
/* tseqs in [from, next_tseq) that are no longer held. */
uint32_t ring_missing(const ring_t *r, uint32_t from);

#endif
