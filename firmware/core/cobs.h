/* Consistent Overhead Byte Stuffing (Cheshire & Baker 1999). */
#ifndef QIOT_COBS_H
#define QIOT_COBS_H

#include <stddef.h>
#include <stdint.h>

/* Bytes COBS needs at most for n input bytes (no delimiter). */
#define COBS_MAX_ENCODED(n) ((n) + (n) / 254u + 1u)

/* Encodes src into dst (capacity COBS_MAX_ENCODED(len)); returns the length. */
size_t cobs_encode(const uint8_t *src, size_t len, uint8_t *dst);
/* Decodes a zero-free block; returns the decoded length, or -1 when the input
 * contains 0x00, a code points past the end, or the output exceeds cap. */
long cobs_decode(const uint8_t *src, size_t len, uint8_t *dst, size_t cap);

#endif
