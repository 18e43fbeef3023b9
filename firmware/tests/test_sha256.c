/* SHA-256 against the FIPS 180-4 / NIST CSRC example vectors. */
#include <string.h>

#include "harness.h"
#include "sha256.h"

static bool digest_is(const uint8_t d[32], const char *hex) {
    for (int i = 0; i < 32; i++) {
        unsigned byte;
        if (sscanf(hex + 2 * i, "%2x", &byte) != 1 || d[i] != byte) return false;
    }
    return true;
}

void test_sha256(void) {
    uint8_t d[32];
    sha256((const uint8_t *)"abc", 3, d);
    CHECK(digest_is(d, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    sha256((const uint8_t *)"", 0, d);
    CHECK(digest_is(d, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    const char *two_block = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    sha256((const uint8_t *)two_block, strlen(two_block), d);
    CHECK(digest_is(d, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
    const char *four_block = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrl"
                             "mnopqrsmnopqrstnopqrstu";
    sha256((const uint8_t *)four_block, strlen(four_block), d);
    CHECK(digest_is(d, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"));

    /* One million 'a', fed in uneven pieces (exercises block carry-over). */
    static uint8_t a[1000];
    memset(a, 'a', sizeof a);
    sha256_t s;
    sha256_init(&s);
    size_t fed = 0;
    for (size_t piece = 1; fed < 1000000; piece = piece % 997 + 1) {
        size_t n = piece;
        if (n > 1000000 - fed) n = 1000000 - fed;
        sha256_update(&s, a, n);
        fed += n;
    }
    sha256_final(&s, d);
    CHECK(digest_is(d, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));

    /* 55 and 56 bytes straddle the padding boundary. */
    sha256(a, 55, d);
    CHECK(digest_is(d, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"));
    sha256(a, 56, d);
    CHECK(digest_is(d, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"));
}
