/* HMAC-SHA256 (RFC 2104), incremental: authenticates control frames. */
#ifndef QIOT_HMAC_SHA256_H
#define QIOT_HMAC_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include "sha256.h"

typedef struct {
    sha256_t inner;
    uint8_t outer_key[64]; /* key ^ opad */
} hmac_sha256_t;

/* Keys up to 64 bytes (qiot's are 32). */
void hmac_sha256_init(hmac_sha256_t *h, const uint8_t *key, size_t key_len);
void hmac_sha256_update(hmac_sha256_t *h, const uint8_t *data, size_t len);
void hmac_sha256_final(hmac_sha256_t *h, uint8_t mac[SHA256_DIGEST_SIZE]);

#endif
