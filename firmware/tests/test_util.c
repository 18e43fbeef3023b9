#include "test_util.h"

#include <string.h>

#include "bytes.h"
#include "fixture_wasm.h"
#include "harness.h"
#include "hmac_sha256.h"
#include "protocol.h"
#include "security_vectors.h"
#include "sha256.h"

const uint8_t *fixture_module(uint32_t *len) {
    *len = fixture_wasm_len;
    return fixture_wasm;
}

const uint8_t *fixture_module_variant(uint32_t *len) {
    static uint8_t bytes[sizeof fixture_wasm + 5];
    static const uint8_t custom[] = {0x00, 0x03, 0x01, 'x', 0x42}; /* custom section "x" */
    memcpy(bytes, fixture_wasm, fixture_wasm_len);
    memcpy(bytes + fixture_wasm_len, custom, sizeof custom);
    *len = fixture_wasm_len + (uint32_t)sizeof custom;
    return bytes;
}

const uint8_t *abi2_module(uint32_t *len) {
    static const uint8_t bytes[] = {
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, /* magic, version 1 */
        0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f,       /* type: () -> i32 */
        0x03, 0x02, 0x01, 0x00,                         /* function 0 of type 0 */
        0x05, 0x04, 0x01, 0x01, 0x01, 0x01,             /* memory min 1 max 1 */
        0x07, 0x18, 0x02,                               /* exports: 2 */
        0x0b, 'a',  'b',  'i',  '_',  'v',  'e',  'r',  's',  'i',  'o',  'n',  0x00, 0x00, 0x06, 'm',
        'e',  'm',  'o',  'r',  'y',  0x02, 0x00, 0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x02, 0x0b, /* code: i32.const 2
                                                                                                   */
    };
    *len = sizeof bytes;
    return bytes;
}

const uint8_t *foreign_import_module(uint32_t *len) {
    static const uint8_t bytes[] = {
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,                                     /* magic, version 1 */
        0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f,                                           /* type: () -> i32 */
        0x02, 0x0c, 0x01, 0x03, 'e',  'n',  'v',  0x04, 's',  'e',  'e',  'd',  0x00, 0x00, /* import env.seed */
        0x03, 0x02, 0x01, 0x00,                                                             /* function 1 of type 0 */
        0x05, 0x04, 0x01, 0x01, 0x01, 0x01,                                                 /* memory min 1 max 1 */
        0x07, 0x18, 0x02,                                                                   /* exports: 2 */
        0x0b, 'a',  'b',  'i',  '_',  'v',  'e',  'r',  's',  'i',  'o',  'n',  0x00, 0x01, 0x06, 'm',
        'e',  'm',  'o',  'r',  'y',  0x02, 0x00, 0x0a, 0x06, 0x01, 0x04, 0x00, 0x10, 0x00, 0x0b, /* code: call 0 */
    };
    *len = sizeof bytes;
    return bytes;
}

int validate_with_runner(void *ctx, const uint8_t *bytes, uint32_t size, char *err, size_t err_cap) {
    runner_t *r = (runner_t *)ctx;
    int code = runner_load(r, bytes, size, err, err_cap);
    runner_unload(r);
    return code;
}

size_t request(qiot_core_t *c, uint8_t type, uint16_t seq, const uint8_t *payload, size_t len, out_frame_t *out) {
    static uint8_t wire[FRAME_MAX_WIRE];
    size_t n = frame_encode(type, seq, payload, len, wire);
    core_feed(c, wire, n);
    return fake_board_take_output(out, MAX_OUT_FRAMES);
}

uint16_t error_code(const out_frame_t *f) {
    return f->type == MSG_ERROR && f->length >= 2 ? get_u16(f->payload) : 0xFFFF;
}

int error_text_contains(const out_frame_t *f, const char *needle) {
    if (f->type != MSG_ERROR || f->length < 2) return 0;
    char text[QIOT_MAX_PAYLOAD + 1];
    memcpy(text, f->payload + 2, f->length - 2u);
    text[f->length - 2u] = 0;
    if (strstr(text, needle)) return 1;
    fprintf(stderr, "    error text \"%s\" lacks \"%s\"\n", text, needle);
    return 0;
}

out_frame_t upload_via_frames(qiot_core_t *c, const uint8_t *module, uint32_t len) {
    static out_frame_t out[MAX_OUT_FRAMES];
    uint8_t p[QIOT_MAX_PAYLOAD];
    put_u32(p, len);
    sha256(module, len, p + 4);
    request(c, MSG_UPLOAD_BEGIN, 1, p, 4 + SHA256_DIGEST_SIZE, out);
    for (uint32_t off = 0; off < len; off += QIOT_MAX_CHUNK_DATA) {
        uint32_t n = len - off < QIOT_MAX_CHUNK_DATA ? len - off : QIOT_MAX_CHUNK_DATA;
        put_u32(p, off);
        memcpy(p + 4, module + off, n);
        request(c, MSG_UPLOAD_CHUNK, 2, p, 4 + n, out);
    }
    size_t n = request(c, MSG_UPLOAD_COMMIT, 3, NULL, 0, out);
    out_frame_t none = {.type = 0};
    return n == 1 ? out[0] : none;
}

void fixture_config(uint8_t cfg[QIOT_CONFIG_STRUCT_SIZE]) {
    memset(cfg, 0, QIOT_CONFIG_STRUCT_SIZE);
    put_u32(cfg + 0, 1);
    put_u32(cfg + 4, 4);
    put_u32(cfg + 8, 2);
    put_f64(cfg + 72, 0.125);
}

void boot_with_fixture(qiot_core_t *c, const uint8_t cfg[QIOT_CONFIG_STRUCT_SIZE]) {
    static out_frame_t out[MAX_OUT_FRAMES];
    fake_board_wipe();
    core_teardown(c);
    core_init(c);
    c->decoder.synced = true;
    uint32_t len;
    const uint8_t *m = fixture_module(&len);
    out_frame_t ok = upload_via_frames(c, m, len);
    CHECK(ok.type == MSG_OK);
    size_t n = request(c, MSG_CONFIG, 4, cfg, QIOT_CONFIG_STRUCT_SIZE, out);
    CHECK(n == 1 && out[0].type == MSG_OK);
}

double f64_at(const uint8_t *p) {
    uint64_t bits = get_u64(p);
    double v;
    memcpy(&v, &bits, sizeof v);
    return v;
}

size_t request_sealed(qiot_core_t *c, uint8_t type, uint16_t seq, const uint8_t *payload, size_t len, uint32_t counter,
                      out_frame_t *out) {
    static uint8_t p[QIOT_MAX_PAYLOAD];
    if (len) memcpy(p, payload, len);
    put_u32(p + len, counter);
    uint8_t mac[32];
    hmac_sha256_t h;
    hmac_sha256_init(&h, vec_security_control_key, QIOT_CONTROL_KEY_SIZE);
    hmac_sha256_update(&h, (const uint8_t *)"QIOT-AUTH-1", 11);
    hmac_sha256_update(&h, c->security.nonce, QIOT_NONCE_SIZE);
    hmac_sha256_update(&h, &type, 1);
    hmac_sha256_update(&h, p + len, 4);
    hmac_sha256_update(&h, payload, len);
    hmac_sha256_final(&h, mac);
    memcpy(p + len + 4, mac, QIOT_AUTH_TAG_SIZE);
    return request(c, type, seq, p, len + QIOT_AUTH_TRAILER_SIZE, out);
}

void provision_with_vectors(qiot_core_t *c) {
    static out_frame_t out[MAX_OUT_FRAMES];
    uint8_t prov[1 + 32 + QIOT_CONTROL_KEY_SIZE] = {1};
    memcpy(prov + 1, vec_security_public_key, 32);
    memcpy(prov + 33, vec_security_control_key, QIOT_CONTROL_KEY_SIZE);
    size_t n = request(c, MSG_PROVISION, 0x7001, prov, sizeof prov, out);
    CHECK(n == 1 && out[0].type == MSG_OK && c->security.provisioned);
}
