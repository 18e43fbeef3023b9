/* COBS and CRC-32 against the shared vectors (independent Python/zlib). */
#include <string.h>

#include "cobs.h"
#include "crc32.h"
#include "harness.h"
#include "vectors.h"

static void cobs_vectors(void) {
    for (size_t i = 0; i < VEC_COBS_COUNT; i++) {
        const vec_bytes_pair_t *v = &vec_cobs[i];
        uint8_t enc[COBS_MAX_ENCODED(600)];
        uint8_t dec[600];
        size_t n = cobs_encode(v->decoded, v->decoded_len, enc);
        CHECKF(n == v->encoded_len && memcmp(enc, v->encoded, n) == 0, "cobs encode %s", v->name);
        CHECKF(n <= COBS_MAX_ENCODED(v->decoded_len), "cobs bound %s", v->name);
        long m = cobs_decode(v->encoded, v->encoded_len, dec, sizeof dec);
        CHECKF(m == (long)v->decoded_len && (m == 0 || memcmp(dec, v->decoded, v->decoded_len) == 0), "cobs decode %s",
               v->name);
    }
}

static void cobs_rejects_malformed(void) {
    uint8_t out[16];
    static const uint8_t zero_inside[] = {0x03, 0x11, 0x00};
    static const uint8_t code_past_end[] = {0x05, 0x11, 0x22};
    static const uint8_t long_block[] = {0x04, 0x11, 0x22, 0x33};
    CHECK(cobs_decode(zero_inside, sizeof zero_inside, out, sizeof out) == -1);
    CHECK(cobs_decode(code_past_end, sizeof code_past_end, out, sizeof out) == -1);
    CHECK(cobs_decode(long_block, sizeof long_block, out, 2) == -1);
    CHECK(cobs_decode(long_block, sizeof long_block, out, 3) == 3);
}

/* Round trip over many lengths and zero densities (xorshift data). */
static void cobs_round_trip(void) {
    uint32_t x = 2463534242u;
    static uint8_t data[1100], enc[COBS_MAX_ENCODED(1100)], dec[1100];
    int bad = 0;
    for (size_t len = 0; len <= 1100; len += 7) {
        for (size_t i = 0; i < len; i++) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            data[i] = (len % 3 == 0) ? (uint8_t)(x % 3 == 0 ? 0 : x) : (uint8_t)((x & 0xFF) | 1);
        }
        size_t n = cobs_encode(data, len, enc);
        long m = cobs_decode(enc, n, dec, sizeof dec);
        if (memchr(enc, 0, n) || m != (long)len || memcmp(dec, data, len) != 0 || n > COBS_MAX_ENCODED(len)) bad++;
    }
    CHECKF(bad == 0, "%d round trips failed", bad);
}

static void crc_vectors(void) {
    for (size_t i = 0; i < VEC_CRC_COUNT; i++) {
        uint32_t got = crc32(vec_crc[i].input, vec_crc[i].len);
        CHECKF(got == vec_crc[i].crc, "crc case %zu: got %08x want %08x", i, (unsigned)got, (unsigned)vec_crc[i].crc);
    }
    CHECK(crc32((const uint8_t *)"123456789", 9) == 0xCBF43926u);
    /* Incremental use equals one pass. */
    const uint8_t *text = (const uint8_t *)"The quick brown fox jumps over the lazy dog";
    uint32_t c = crc32_update(0, text, 10);
    c = crc32_update(c, text + 10, 33);
    CHECK(c == crc32(text, 43));
}

void test_codec(void) {
    cobs_vectors();
    cobs_rejects_malformed();
    cobs_round_trip();
    crc_vectors();
}
