/* SHA-512 against FIPS 180-4 example vectors (and Python's hashlib for the
 * padding boundaries); Ed25519 verification against RFC 8032 §7.1 and
 * signatures a verifier must refuse (firmware/test-vectors/ed25519.json). */
#include <string.h>

#include "ed25519.h"
#include "harness.h"
#include "security_vectors.h"
#include "sha512.h"

static bool digest_is(const uint8_t d[64], const char *hex) {
    for (int i = 0; i < 64; i++) {
        unsigned byte;
        if (sscanf(hex + 2 * i, "%2x", &byte) != 1 || d[i] != byte) return false;
    }
    return true;
}

static void test_sha512(void) {
    uint8_t d[64];
    sha512((const uint8_t *)"abc", 3, d);
    CHECK(digest_is(d, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                       "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"));
    sha512((const uint8_t *)"", 0, d);
    CHECK(digest_is(d, "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
                       "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"));
    const char *two_block = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlm"
                            "nopqrsmnopqrstnopqrstu";
    sha512((const uint8_t *)two_block, strlen(two_block), d);
    CHECK(digest_is(d, "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
                       "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909"));
    static uint8_t a[1000];
    memset(a, 'a', sizeof a);
    /* 111 and 112 bytes straddle the padding boundary (values from hashlib). */
    sha512(a, 111, d);
    CHECK(digest_is(d, "fa9121c7b32b9e01733d034cfc78cbf67f926c7ed83e82200ef8681819692176"
                       "0b4beff48404df811b953828274461673c68d04e297b0eb7b2b4d60fc6b566a2"));
    sha512(a, 112, d);
    CHECK(digest_is(d, "c01d080efd492776a1c43bd23dd99d0a2e626d481e16782e75d54c2503b5dc32"
                       "bd05f0f1ba33e568b88fd2d970929b719ecbb152f58f130a407c8830604b70ca"));
    /* One million 'a' in uneven pieces (block carry-over). */
    sha512_t s;
    sha512_init(&s);
    size_t fed = 0;
    for (size_t piece = 1; fed < 1000000; piece = piece % 997 + 1) {
        size_t n = piece > 1000000 - fed ? 1000000 - fed : piece;
        sha512_update(&s, a, n);
        fed += n;
    }
    sha512_final(&s, d);
    CHECK(digest_is(d, "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
                       "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b"));
}

void test_ed25519(void) {
    test_sha512();
    for (size_t i = 0; i < sizeof vec_ed25519_valid / sizeof vec_ed25519_valid[0]; i++) {
        const vec_ed25519_t *v = &vec_ed25519_valid[i];
        CHECKF(ed25519_verify(v->sig, v->msg, v->msg_len, v->pub), "%s must verify", v->name);
        /* Every single-bit change of the signature must be refused. */
        uint8_t sig[64];
        int accepted = 0;
        for (int bit = 0; bit < 512; bit++) {
            memcpy(sig, v->sig, 64);
            sig[bit / 8] ^= (uint8_t)(1u << (bit % 8));
            accepted += ed25519_verify(sig, v->msg, v->msg_len, v->pub);
        }
        CHECKF(accepted == 0, "%s: %d of 512 one-bit changes accepted", v->name, accepted);
    }
    for (size_t i = 0; i < sizeof vec_ed25519_invalid / sizeof vec_ed25519_invalid[0]; i++) {
        const vec_ed25519_t *v = &vec_ed25519_invalid[i];
        CHECKF(!ed25519_verify(v->sig, v->msg, v->msg_len, v->pub), "%s must be refused", v->name);
    }
}
