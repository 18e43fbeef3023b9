/* Shapes of the protocol vectors converted from frames.json. */
#ifndef QIOT_VECTORS_TYPES_H
#define QIOT_VECTORS_TYPES_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    const char *name;
    const uint8_t *decoded;
    size_t decoded_len;
    const uint8_t *encoded;
    size_t encoded_len;
} vec_bytes_pair_t;

typedef struct {
    const uint8_t *input;
    size_t len;
    uint32_t crc;
} vec_crc_t;

typedef struct {
    const char *name;
    uint8_t type;
    uint16_t seq;
    const uint8_t *payload;
    size_t payload_len;
    const uint8_t *wire;
    size_t wire_len;
} vec_frame_t;

typedef struct {
    int error; /* 0 = a frame */
    uint16_t seq;
    uint8_t type;
    const uint8_t *payload;
    size_t payload_len;
} vec_event_t;

typedef struct {
    const char *name;
    int synced;
    const uint8_t *input;
    size_t len;
    const vec_event_t *events;
    size_t event_count;
} vec_stream_t;

typedef struct {
    const char *name;
    const uint8_t *wire;
    size_t wire_len;
    int error;
    uint16_t seq;
} vec_dispatch_t;

#endif
