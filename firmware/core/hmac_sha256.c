#include "hmac_sha256.h"

#include <string.h>

void hmac_sha256_init(hmac_sha256_t *h, const uint8_t *key, size_t key_len) {
    uint8_t block[64] = {0};
    if (key_len > sizeof block) key_len = sizeof block;
    memcpy(block, key, key_len);
    uint8_t inner_key[64];
    for (int i = 0; i < 64; i++) {
        inner_key[i] = block[i] ^ 0x36;
        h->outer_key[i] = block[i] ^ 0x5c;
    }
    sha256_init(&h->inner);
    sha256_update(&h->inner, inner_key, sizeof inner_key);
}

void hmac_sha256_update(hmac_sha256_t *h, const uint8_t *data, size_t len) { sha256_update(&h->inner, data, len); }

void hmac_sha256_final(hmac_sha256_t *h, uint8_t mac[SHA256_DIGEST_SIZE]) {
    uint8_t inner[SHA256_DIGEST_SIZE];
    sha256_final(&h->inner, inner);
    sha256_t outer;
    sha256_init(&outer);
    sha256_update(&outer, h->outer_key, sizeof h->outer_key);
    sha256_update(&outer, inner, sizeof inner);
    sha256_final(&outer, mac);
}
