#include "ring.h"

#include <string.h>

#include "bytes.h"

void ring_init(ring_t *r) {
    r->next_tseq = 1;
    r->count = 0;
}

uint32_t ring_push(ring_t *r, uint8_t payload[QIOT_TELEMETRY_PAYLOAD_SIZE]) {
    uint32_t tseq = r->next_tseq++;
    put_u32(payload, tseq);
    memcpy(r->payload[tseq % QIOT_RING_CAPACITY], payload, QIOT_TELEMETRY_PAYLOAD_SIZE);
    if (r->count < QIOT_RING_CAPACITY) r->count++;
    return tseq;
}

uint32_t ring_first_held(const ring_t *r) { return r->next_tseq - r->count; }

const uint8_t *ring_get(const ring_t *r, uint32_t tseq) {
    if (tseq < ring_first_held(r) || tseq >= r->next_tseq) return NULL;
    return r->payload[tseq % QIOT_RING_CAPACITY];
}

uint32_t ring_missing(const ring_t *r, uint32_t from) {
    uint32_t first = ring_first_held(r);
    if (from < 1) from = 1; /* tseq 0 never exists */
    return from < first ? first - from : 0;
}
