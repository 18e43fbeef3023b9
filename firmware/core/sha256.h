/* SHA-256 (FIPS 180-4), incremental. */
#ifndef QIOT_SHA256_H
#define QIOT_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32

typedef struct {
    uint32_t h[8];
    uint64_t total_len;
    uint8_t block[64];
    size_t block_fill;
} sha256_t;

void sha256_init(sha256_t *s);
void sha256_update(sha256_t *s, const uint8_t *data, size_t len);
void sha256_final(sha256_t *s, uint8_t digest[SHA256_DIGEST_SIZE]);
void sha256(const uint8_t *data, size_t len, uint8_t digest[SHA256_DIGEST_SIZE]);

#endif
