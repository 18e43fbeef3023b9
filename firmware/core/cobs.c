#include "cobs.h"

size_t cobs_encode(const uint8_t *src, size_t len, uint8_t *dst) {
    size_t out = 1;
    size_t code_at = 0;
    uint8_t code = 1;
    for (size_t i = 0; i < len; i++) {
        if (src[i] != 0) {
            dst[out++] = src[i];
            code++;
        }
        if (src[i] == 0 || code == 0xFF) {
            dst[code_at] = code;
            code = 1;
            code_at = out;
            /* A full block at the very end needs no trailing code byte. */
            if (src[i] == 0 || i + 1 < len) out++;
        }
    }
    if (code_at < out) dst[code_at] = code;
    return out;
}

long cobs_decode(const uint8_t *src, size_t len, uint8_t *dst, size_t cap) {
    size_t in = 0, out = 0;
    while (in < len) {
        uint8_t code = src[in++];
        if (code == 0) return -1;
        size_t run = (size_t)code - 1;
        if (in + run > len) return -1;
        if (out + run > cap) return -1;
        for (size_t k = 0; k < run; k++) {
            if (src[in] == 0) return -1;
            dst[out++] = src[in++];
        }
        /* A block shorter than 254 stands for data followed by a zero, except
         * at the end of the frame. */
        if (code != 0xFF && in < len) {
            if (out >= cap) return -1;
            dst[out++] = 0;
        }
    }
    return (long)out;
}
