/* A flipped CRC bit is refused on every request type the board knows (the
 * dispatch table), before any handler: one ERROR BAD_CRC with seq 0 and no
 * change of state, also for an UPLOAD_CHUNK that would otherwise be taken. */
#include <string.h>

#include "bytes.h"
#include "cobs.h"
#include "crc32.h"
#include "dispatch.h"
#include "harness.h"
#include "protocol.h"
#include "sha256.h"
#include "test_util.h"

static qiot_core_t core;
static out_frame_t out[MAX_OUT_FRAMES];

/* The wire bytes of a frame whose CRC has bit `bit` (0-31) flipped. */
static size_t wire_with_bad_crc(uint8_t type, uint16_t seq, const uint8_t *payload, size_t len, int bit,
                                uint8_t *wire) {
    uint8_t raw[QIOT_MAX_RAW_FRAME];
    raw[0] = QIOT_PROTOCOL_VERSION;
    raw[1] = type;
    put_u16(raw + 2, seq);
    put_u16(raw + 4, (uint16_t)len);
    memcpy(raw + QIOT_HEADER_SIZE, payload, len);
    put_u32(raw + QIOT_HEADER_SIZE + len, crc32(raw, QIOT_HEADER_SIZE + len) ^ (1u << bit));
    size_t n = cobs_encode(raw, QIOT_HEADER_SIZE + len + QIOT_CRC_SIZE, wire);
    wire[n++] = 0;
    return n;
}

void test_bad_crc(void) {
    uint8_t cfg[QIOT_CONFIG_STRUCT_SIZE];
    fixture_config(cfg);
    boot_with_fixture(&core, cfg);
    /* An upload in progress, so a chunk that slipped through would be taken. */
    uint32_t len;
    const uint8_t *m = fixture_module(&len);
    uint8_t begin[4 + SHA256_DIGEST_SIZE];
    put_u32(begin, len);
    sha256(m, len, begin + 4);
    CHECK(request(&core, MSG_UPLOAD_BEGIN, 1, begin, sizeof begin, out) == 1 && out[0].type == MSG_OK);

    static uint8_t wire[FRAME_MAX_WIRE];
    uint8_t payload[QIOT_MAX_PAYLOAD];
    size_t refused = 0;
    for (size_t t = 0; t < dispatch_request_count; t++) {
        const request_t *r = &dispatch_requests[t];
        /* A payload the request accepts in size: its largest up to a chunk of the module. */
        size_t n = r->max_len < 4 + 100u ? r->max_len : 4 + 100u;
        memset(payload, 0, sizeof payload);
        if (r->type == MSG_UPLOAD_CHUNK) memcpy(payload + 4, m, n - 4);
        if (r->type == MSG_CONFIG) memcpy(payload, cfg, n);
        if (r->type == MSG_HELLO) put_u16(payload, QIOT_PROTOCOL_VERSION);
        for (int bit = 0; bit < 32; bit += 7) {
            size_t w = wire_with_bad_crc(r->type, (uint16_t)(100 + t), payload, n, bit, wire);
            core_feed(&core, wire, w);
            size_t got = fake_board_take_output(out, MAX_OUT_FRAMES);
            bool ok = got == 1 && error_code(&out[0]) == ERR_BAD_CRC && out[0].seq == 0;
            CHECKF(ok, "%s with CRC bit %d flipped: %zu answers, first code %u", r->name, bit, got,
                   got ? error_code(&out[0]) : 0);
            refused += ok;
        }
    }
    CHECK(refused == dispatch_request_count * 5);
    /* Nothing happened: the upload has no bytes, no run, no reset, the module and its config stay. */
    CHECK(core.store.uploading && core.store.upload_received == 0);
    CHECK(!core.training && !core.reset_requested && core.config_written && core.store.active_slot == 0);
    put_u32(payload, 0);
    memcpy(payload + 4, m, 100);
    CHECK(request(&core, MSG_UPLOAD_CHUNK, 2, payload, 104, out) == 1 && get_u32(out[0].payload) == 100);
    core_teardown(&core);
}
