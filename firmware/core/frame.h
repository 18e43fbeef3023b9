/* Frames: header ‖ payload ‖ CRC-32, COBS-encoded, 0x00-delimited. */
#ifndef QIOT_FRAME_H
#define QIOT_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "qiot_config.h"

/* Bytes on the wire for a payload of len bytes, delimiter included. */
#define FRAME_MAX_WIRE (QIOT_MAX_ENCODED_FRAME + 1u)

/* Encodes one frame into out (capacity FRAME_MAX_WIRE); returns its length
 * including the trailing 0x00, or 0 when len exceeds QIOT_MAX_PAYLOAD. */
size_t frame_encode(uint8_t type, uint16_t seq, const uint8_t *payload, size_t len, uint8_t *out);

typedef struct {
    uint8_t type;
    uint16_t seq;
    uint16_t length;
    const uint8_t *payload; /* points into the decoder; valid until the next feed */
} frame_t;

/* What one decoder event is: a frame, or an error for the bytes up to a
 * delimiter (or, for OVERSIZE, for a run that grew too long). seq is the
 * frame's seq when its header was trustworthy (CRC good), else 0. */
typedef struct {
    int error; /* enum qiot_error; ERR_NONE for a frame */
    uint16_t seq;
    uint8_t version; /* header version byte when the CRC was good */
    frame_t frame;
} frame_event_t;

typedef struct {
    uint8_t encoded[QIOT_MAX_ENCODED_FRAME];
    uint8_t raw[QIOT_MAX_RAW_FRAME + 8];
    size_t fill;
    bool synced;     /* a delimiter was seen since start-up */
    bool discarding; /* oversize run: drop bytes until the next delimiter */
} frame_decoder_t;

/* synced = false for a receiver that may have joined mid-frame: bytes before
 * the first delimiter that do not decode are dropped without an error (a run
 * longer than any frame is still answered OVERSIZE). */
void frame_decoder_init(frame_decoder_t *d, bool synced);

/* Feeds one byte; returns true when *ev holds an event. */
bool frame_decoder_push(frame_decoder_t *d, uint8_t byte, frame_event_t *ev);

#endif
