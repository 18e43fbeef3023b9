/* SHA-512 (FIPS 180-4), incremental: the hash inside Ed25519 (RFC 8032). */
#ifndef QIOT_SHA512_H
#define QIOT_SHA512_H

#include <stddef.h>
#include <stdint.h>

#define SHA512_DIGEST_SIZE 64

typedef struct {
    uint64_t h[8];
    uint64_t total_len; /* bytes; messages here are far below 2^61 bytes */
    uint8_t block[128];
    size_t block_fill;
} sha512_t;

void sha512_init(sha512_t *s);
void sha512_update(sha512_t *s, const uint8_t *data, size_t len);
void sha512_final(sha512_t *s, uint8_t digest[SHA512_DIGEST_SIZE]);
void sha512(const uint8_t *data, size_t len, uint8_t digest[SHA512_DIGEST_SIZE]);

#endif
