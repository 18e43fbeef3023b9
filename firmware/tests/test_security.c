/* Provisioning, manifest checks and control-frame authentication
 * (security.c) against vectors signed and sealed by the host with Node's
 * crypto (firmware/test-vectors/security.json), and HMAC-SHA256 against
 * RFC 4231. */
#include <string.h>

#include "bytes.h"
#include "fake_board.h"
#include "harness.h"
#include "hmac_sha256.h"
#include "protocol.h"
#include "security.h"
#include "security_vectors.h"
#include "test_util.h"

static bool hex_is(const uint8_t *d, size_t n, const char *hex) {
    for (size_t i = 0; i < n; i++) {
        unsigned byte;
        if (sscanf(hex + 2 * i, "%2x", &byte) != 1 || d[i] != byte) return false;
    }
    return true;
}

static void test_hmac_rfc4231(void) {
    uint8_t mac[32], key[20];
    hmac_sha256_t h;
    memset(key, 0x0b, sizeof key);
    hmac_sha256_init(&h, key, sizeof key);
    hmac_sha256_update(&h, (const uint8_t *)"Hi There", 8);
    hmac_sha256_final(&h, mac);
    CHECK(hex_is(mac, 32, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"));
    hmac_sha256_init(&h, (const uint8_t *)"Jefe", 4);
    hmac_sha256_update(&h, (const uint8_t *)"what do ya want ", 16);
    hmac_sha256_update(&h, (const uint8_t *)"for nothing?", 12);
    hmac_sha256_final(&h, mac);
    CHECK(hex_is(mac, 32, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
}

static int provision(security_t *s) {
    uint8_t p[1 + 32 + 32];
    p[0] = 1;
    memcpy(p + 1, vec_security_public_key, 32);
    memcpy(p + 33, vec_security_control_key, 32);
    char err[QIOT_MAX_TEXT];
    return security_provision(s, p, sizeof p, err, sizeof err);
}

static void test_open_board(void) {
    fake_board_wipe();
    security_t s;
    security_init(&s, 1);
    CHECK(!s.provisioned);
    CHECK(!security_requires_auth(&s, MSG_UPLOAD_BEGIN) && !security_requires_auth(&s, MSG_RESET));
    module_meta_t meta;
    char err[QIOT_MAX_TEXT];
    /* Unsigned and signed modules alike; nothing is verified, so nothing raises the floor. */
    CHECK(security_check_module(&s, vec_manifests[0].begin, 36, 0, &meta, err, sizeof err) == ERR_NONE);
    CHECK(!meta.verified && meta.counter == 0);
    CHECK(security_check_module(&s, vec_manifests[0].begin, vec_manifests[0].begin_len, 0, &meta, err, sizeof err) ==
          ERR_NONE);
    CHECK(!meta.verified && meta.counter == vec_manifests[0].counter);
}

static void test_provisioning(void) {
    fake_board_wipe();
    security_t s;
    security_init(&s, 1);
    uint8_t bad[1 + 3 * 32 + 32] = {3};
    char err[QIOT_MAX_TEXT];
    CHECK(security_provision(&s, bad, sizeof bad, err, sizeof err) == ERR_BAD_PAYLOAD);
    uint8_t off_curve[1 + 32 + 32] = {1, 2}; /* y = 2 is not on the curve */
    CHECK(security_provision(&s, off_curve, sizeof off_curve, err, sizeof err) == ERR_BAD_PAYLOAD);
    CHECK(strstr(err, "not a valid Ed25519 point") != NULL);
    CHECK(!s.provisioned);

    CHECK(provision(&s) == ERR_NONE && s.provisioned && s.key_count == 1);
    CHECK(security_requires_auth(&s, MSG_UPLOAD_CHUNK) && security_requires_auth(&s, MSG_TRAIN_STOP) &&
          security_requires_auth(&s, MSG_PROVISION));
    CHECK(!security_requires_auth(&s, MSG_HELLO) && !security_requires_auth(&s, MSG_STATUS_REQUEST) &&
          !security_requires_auth(&s, MSG_TELEMETRY_FETCH) && !security_requires_auth(&s, MSG_PARAMS_READ));

    /* Survives a reboot; every boot gets another nonce (even at the same boot time). */
    security_t a, b;
    security_init(&a, 5);
    security_init(&b, 5);
    CHECK(a.provisioned && memcmp(a.keys[0], vec_security_public_key, 32) == 0);
    CHECK(memcmp(a.control_key, vec_security_control_key, 32) == 0);
    CHECK(b.boot_count == a.boot_count + 1 && memcmp(a.nonce, b.nonce, QIOT_NONCE_SIZE) != 0);

    /* Deprovisioning opens the board again, also after a reboot, and boots keep counting. */
    uint8_t none[1] = {0};
    CHECK(security_provision(&b, none, 1, err, sizeof err) == ERR_NONE && !b.provisioned);
    security_t c;
    security_init(&c, 5);
    CHECK(!c.provisioned && c.boot_count == b.boot_count + 1);
}

static void test_manifests(void) {
    fake_board_wipe();
    security_t s;
    security_init(&s, 1);
    CHECK(provision(&s) == ERR_NONE);
    for (size_t i = 0; i < sizeof vec_manifests / sizeof vec_manifests[0]; i++) {
        const vec_manifest_t *v = &vec_manifests[i];
        module_meta_t meta;
        char err[QIOT_MAX_TEXT] = "";
        int code = security_check_module(&s, v->begin, v->begin_len, v->floor, &meta, err, sizeof err);
        CHECKF(code == v->error, "%s: got %d (%s), want %d", v->name, code, err, v->error);
        if (v->error == ERR_NONE) CHECK(meta.verified && meta.version == v->version && meta.counter == v->counter);
        else CHECKF(err[0] != 0, "%s: the refusal names no reason", v->name);
    }
}

static void test_authentication(void) {
    fake_board_wipe();
    security_t s;
    security_init(&s, 1);
    CHECK(provision(&s) == ERR_NONE);
    memcpy(s.nonce, vec_security_nonce, QIOT_NONCE_SIZE);
    static uint8_t frame[QIOT_MAX_PAYLOAD];
    char err[QIOT_MAX_TEXT];
    for (size_t i = 0; i < sizeof vec_auth / sizeof vec_auth[0]; i++) {
        const vec_auth_t *v = &vec_auth[i];
        size_t n = v->payload_len;
        memcpy(frame, v->payload, n);
        put_u32(frame + n, v->counter);
        memcpy(frame + n + 4, v->tag, QIOT_AUTH_TAG_SIZE);
        uint16_t len = (uint16_t)(n + QIOT_AUTH_TRAILER_SIZE);
        /* Another type, an altered payload or tag: refused, and the counter not used up. */
        uint16_t l2 = len;
        CHECK(security_authenticate(&s, (uint8_t)(v->type + 1), frame, &l2, err, sizeof err) == ERR_UNAUTHENTICATED);
        frame[n + 4] ^= 1;
        CHECK(security_authenticate(&s, v->type, frame, &l2, err, sizeof err) == ERR_UNAUTHENTICATED);
        CHECK(strstr(err, "tag does not match") != NULL);
        frame[n + 4] ^= 1;
        CHECKF(security_authenticate(&s, v->type, frame, &len, err, sizeof err) == ERR_NONE, "auth vector %zu: %s", i,
               err);
        CHECK(len == n && s.last_counter == v->counter);
        /* The same frame again is a replay. */
        len = (uint16_t)(n + QIOT_AUTH_TRAILER_SIZE);
        CHECK(security_authenticate(&s, v->type, frame, &len, err, sizeof err) == ERR_UNAUTHENTICATED);
        CHECK(strstr(err, "not above the last accepted") != NULL);
    }
    uint16_t short_len = QIOT_AUTH_TRAILER_SIZE - 1;
    CHECK(security_authenticate(&s, MSG_RESET, frame, &short_len, err, sizeof err) == ERR_UNAUTHENTICATED);
    /* Under another boot's nonce the tags no longer match. */
    s.nonce[0] ^= 1;
    s.last_counter = 0;
    const vec_auth_t *v = &vec_auth[0];
    put_u32(frame, v->counter);
    memcpy(frame + 4, v->tag, QIOT_AUTH_TAG_SIZE);
    uint16_t len = QIOT_AUTH_TRAILER_SIZE;
    CHECK(security_authenticate(&s, v->type, frame, &len, err, sizeof err) == ERR_UNAUTHENTICATED);
}

/* The board's dispatcher on a provisioned board: reads open, changes only
 * authenticated, modules only signed, and an unsigned module's bytes never
 * reach wasm3. */
static void test_provisioned_dispatch(void) {
    static qiot_core_t core;
    static out_frame_t out[MAX_OUT_FRAMES];
    uint8_t cfg[QIOT_CONFIG_STRUCT_SIZE];
    fixture_config(cfg);
    boot_with_fixture(&core, cfg); /* an open board with a module, as before provisioning */
    uint8_t prov[1 + 32 + 32] = {1};
    memcpy(prov + 1, vec_security_public_key, 32);
    memcpy(prov + 33, vec_security_control_key, 32);
    size_t n = request(&core, MSG_PROVISION, 5, prov, sizeof prov, out);
    CHECK(n == 1 && out[0].type == MSG_OK);
    CHECK(core.security.provisioned);
    /* Re-provisioning now needs authentication. */
    n = request(&core, MSG_PROVISION, 6, prov, sizeof prov, out);
    CHECK(n == 1 && error_code(&out[0]) == ERR_UNAUTHENTICATED);

    uint8_t hello[2] = {1, 0};
    n = request(&core, MSG_HELLO, 7, hello, 2, out);
    CHECK(n == 1 && out[0].type == MSG_INFO && (out[0].payload[66] & 1) == 1 && (out[0].payload[66] & 2) == 0);
    n = request(&core, MSG_STATUS_REQUEST, 8, NULL, 0, out);
    CHECK(n == 1 && out[0].type == MSG_STATUS);

    n = request(&core, MSG_CONFIG, 9, cfg, sizeof cfg, out);
    CHECK(n == 1 && error_code(&out[0]) == ERR_UNAUTHENTICATED && error_text_contains(&out[0], "tag does not match"));
    n = request(&core, MSG_RESET, 10, NULL, 0, out);
    CHECK(n == 1 && error_code(&out[0]) == ERR_UNAUTHENTICATED && error_text_contains(&out[0], "needs the trailer"));
    CHECK(!core.reset_requested);
    n = request_sealed(&core, MSG_CONFIG, 11, cfg, sizeof cfg, 1, out);
    CHECK(n == 1 && out[0].type == MSG_OK);
    /* A captured frame replayed, and a counter going back: refused. */
    n = request_sealed(&core, MSG_CONFIG, 12, cfg, sizeof cfg, 1, out);
    CHECK(n == 1 && error_code(&out[0]) == ERR_UNAUTHENTICATED);

    /* The fixture, unsigned: refused at UPLOAD_BEGIN; its chunks find no upload. */
    uint32_t len = 0;
    const uint8_t *module = fixture_module(&len);
    uint8_t begin[36];
    put_u32(begin, len);
    sha256(module, len, begin + 4);
    n = request_sealed(&core, MSG_UPLOAD_BEGIN, 13, begin, sizeof begin, 2, out);
    CHECK(n == 1 && error_code(&out[0]) == ERR_SIGNATURE && error_text_contains(&out[0], "must be signed"));
    /* A signed manifest (for other bytes) is accepted; the fixture's bytes sent
     * under it fail the sha256 check at commit, before wasm3 parses them. */
    const vec_manifest_t *signed_begin = &vec_manifests[0];
    n = request_sealed(&core, MSG_UPLOAD_BEGIN, 14, signed_begin->begin, signed_begin->begin_len, 3, out);
    CHECK(n == 1 && out[0].type == MSG_OK);
    uint32_t counter = 4;
    uint8_t chunk[4 + 1000];
    uint32_t size = get_u32(signed_begin->begin);
    for (uint32_t off = 0; off < size; off += 1000) {
        uint32_t k = size - off < 1000 ? size - off : 1000;
        put_u32(chunk, off);
        for (uint32_t i = 0; i < k; i++) chunk[4 + i] = module[(off + i) % len]; /* the fixture, repeated */
        n = request_sealed(&core, MSG_UPLOAD_CHUNK, 15, chunk, 4 + k, counter++, out);
        CHECK(n == 1 && out[0].type == MSG_OK);
    }
    n = request_sealed(&core, MSG_UPLOAD_COMMIT, 16, NULL, 0, counter++, out);
    CHECK(n == 1 && error_code(&out[0]) == ERR_HASH_MISMATCH);
    CHECK(runner_loaded(&core.runner)); /* the previous module still runs */

    /* An authenticated STOP while idle, and deprovisioning. */
    n = request_sealed(&core, MSG_TRAIN_STOP, 17, NULL, 0, counter++, out);
    CHECK(n == 1 && out[0].type == MSG_OK);
    uint8_t open_board[1] = {0};
    n = request_sealed(&core, MSG_PROVISION, 18, open_board, 1, counter++, out);
    CHECK(n == 1 && out[0].type == MSG_OK && !core.security.provisioned);
    n = request(&core, MSG_CONFIG, 19, cfg, sizeof cfg, out);
    CHECK(n == 1 && out[0].type == MSG_OK);
    core_teardown(&core);
}

void test_security(void) {
    test_hmac_rfc4231();
    test_open_board();
    test_provisioning();
    test_manifests();
    test_authentication();
    test_provisioned_dispatch();
}
