/* Bounded reading of WebAssembly binary encodings (LEB128, bytes) for the
 * module checker. Every read stays inside [p, end); a read past it, or an
 * over-long or out-of-range LEB128, sets `bad` and returns 0, so callers check
 * `bad` once after a group of reads. */
#ifndef QIOT_WASM_READ_H
#define QIOT_WASM_READ_H

#include <stdbool.h>
#include <stdint.h>

typedef struct {
    const uint8_t *start; /* module start, for offsets in messages */
    const uint8_t *p, *end;
    bool bad;
} wasm_reader_t;

static inline uint32_t wr_offset(const wasm_reader_t *r) { return (uint32_t)(r->p - r->start); }
static inline bool wr_done(const wasm_reader_t *r) { return r->p >= r->end; }

static inline uint8_t wr_u8(wasm_reader_t *r) {
    if (r->p >= r->end) {
        r->bad = true;
        return 0;
    }
    return *r->p++;
}

/* Unsigned LEB128 of at most `bits` (≤ 32) bits, in at most ⌈bits/7⌉ bytes
 * whose unused high bits are 0. */
static inline uint32_t wr_uleb(wasm_reader_t *r, unsigned bits) {
    unsigned max_bytes = (bits + 6) / 7;
    uint64_t v = 0;
    for (unsigned i = 0; i < max_bytes && !r->bad; i++) {
        uint8_t b = wr_u8(r);
        v |= (uint64_t)(b & 0x7F) << (7 * i);
        if (b & 0x80) continue;
        if (v >> bits) break;
        return (uint32_t)v;
    }
    r->bad = true;
    return 0;
}
static inline uint32_t wr_u32(wasm_reader_t *r) { return wr_uleb(r, 32); }

/* Signed LEB128 of `bits` (32, 33 or 64) bits: only checked and skipped (the
 * value of a constant does not matter to the checker). */
static inline void wr_skip_sleb(wasm_reader_t *r, unsigned bits) {
    unsigned max_bytes = (bits + 6) / 7;
    for (unsigned i = 0; i < max_bytes && !r->bad; i++) {
        uint8_t b = wr_u8(r);
        if (b & 0x80) continue;
        if (i + 1 == max_bytes) {
            /* The unused high bits of the last byte must repeat the sign. */
            unsigned used = bits - 7 * i;
            uint8_t rest = (uint8_t)(b >> (used - 1)) & 0x7F;
            if (rest != 0 && rest != (0x7F >> (used - 1))) r->bad = true;
        }
        return;
    }
    r->bad = true;
}

static inline void wr_skip(wasm_reader_t *r, uint32_t n) {
    if ((uint64_t)(r->end - r->p) < n) {
        r->bad = true;
        r->p = r->end;
        return;
    }
    r->p += n;
}

#endif
