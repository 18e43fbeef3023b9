/* libFuzzer harness: bytes from the serial link into the core (frame decoder,
 * dispatch, handlers, training steps) on the in-memory fake board with the
 * fixture module committed and configured.
 *
 * Input: byte 0 picks the mode. Even: the rest is fed as raw serial bytes
 * (COBS, CRC, delimiters, oversize runs). Odd: the rest is a list of records
 *   u8 kind ‖ u8 len ‖ payload[len % 256, or 4 × that for kind bit 6]
 * kind bits 0-3 select the request type (table below; 15 = next byte is the
 * type, which reaches the others: PROVISION, TELEMETRY_ACK, unknown types),
 * bit 4: poll the core (training steps) after the frame, bit 5: flip a byte
 * of the encoded frame, bit 7: feed the payload as raw bytes instead.
 * Every input starts from the same booted board, so a crash reproduces from
 * its input alone: the board is booted once and then restored before each
 * input (core state, the module's linear memory and globals, slots and
 * records), or booted again when the input replaced the wasm3 runtime (a
 * trap, a commit, a RESET). FUZZ_STATS=1 prints the frames fed at exit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "core.h"
#include "fake_board.h"
#include "fixture_wasm.h"
#include "m3_env.h" /* wasm3 internals: the module's globals, to restore them */
#include "protocol.h"
#include "sha256.h"

static qiot_core_t core;
static uint8_t wire[FRAME_MAX_WIRE];
static unsigned long long frames_fed, inputs, boots;
static qiot_core_t saved_core;
static uint8_t saved_memory[QIOT_WASM_PAGE_SIZE];
static int64_t saved_globals[QIOT_WASM_MAX_GLOBALS];

static const uint8_t request_types[15] = {
    MSG_HELLO,   MSG_UPLOAD_BEGIN, MSG_UPLOAD_CHUNK, MSG_UPLOAD_COMMIT,  MSG_CONFIG,
    MSG_DATASET, MSG_TRAIN_START,  MSG_TRAIN_STOP,   MSG_STATUS_REQUEST, MSG_TELEMETRY_FETCH,
    MSG_RESET,   MSG_PARAMS_READ,  MSG_PARAMS_WRITE, MSG_CONFIRM,        MSG_ROLLBACK,
};

static void feed(const uint8_t *bytes, size_t n) {
    for (size_t i = 0; i < n; i++) frames_fed += bytes[i] == 0;
    while (n) {
        size_t used = core_feed(&core, bytes, n);
        bytes += used;
        n -= used;
        if (core.reset_requested) { /* what qiot_main does */
            core_teardown(&core);
            core_init(&core);
        }
    }
    fake_board_take_output(NULL, 0); /* discard */
}

static void send(uint8_t type, const uint8_t *payload, size_t len) {
    size_t n = frame_encode(type, 1, payload, len, wire);
    feed(wire, n);
}

static void fixture_config(uint8_t cfg[QIOT_CONFIG_STRUCT_SIZE]) {
    memset(cfg, 0, QIOT_CONFIG_STRUCT_SIZE);
    put_u32(cfg + 0, 1);
    put_u32(cfg + 4, 4);
    put_u32(cfg + 8, 2);
    put_f64(cfg + 72, 0.125);
}

static IM3Module module_of(qiot_core_t *c) { return c->runner.runtime->modules; }

/* The board every input starts from: fixture committed in slot 0, CONFIG sent. */
static void boot(void) {
    static bool first = true;
    if (first) {
        fake_board_wipe();
        core_init(&core);
        core.decoder.synced = true;
        uint8_t p[QIOT_MAX_PAYLOAD];
        put_u32(p, fixture_wasm_len);
        sha256(fixture_wasm, fixture_wasm_len, p + 4);
        send(MSG_UPLOAD_BEGIN, p, 36);
        for (uint32_t off = 0; off < fixture_wasm_len; off += QIOT_MAX_CHUNK_DATA) {
            uint32_t n = fixture_wasm_len - off < QIOT_MAX_CHUNK_DATA ? fixture_wasm_len - off : QIOT_MAX_CHUNK_DATA;
            put_u32(p, off);
            memcpy(p + 4, fixture_wasm + off, n);
            send(MSG_UPLOAD_CHUNK, p, 4 + n);
        }
        send(MSG_UPLOAD_COMMIT, NULL, 0);
        if (core.store.active_slot != 0) abort(); /* the harness itself is broken */
        fake_board_save();
        first = false;
    } else {
        fake_board_restore();
    }
    boots++;
    core_teardown(&core);
    core_init(&core);
    core.decoder.synced = true;
    uint8_t cfg[QIOT_CONFIG_STRUCT_SIZE];
    fixture_config(cfg);
    send(MSG_CONFIG, cfg, sizeof cfg);
    IM3Module m = module_of(&core);
    if (m->numGlobals > QIOT_WASM_MAX_GLOBALS) abort();
    for (uint32_t i = 0; i < m->numGlobals; i++) saved_globals[i] = m->globals[i].intValue;
    runner_read_memory(&core.runner, 0, saved_memory, sizeof saved_memory);
    core.runner.runtime->userdata = &saved_core; /* a runtime created later has NULL */
    saved_core = core;
}

/* Back to the booted board; boots again when the runtime was replaced. */
static void restore(void) {
    if (!core.runner.runtime || core.runner.runtime != saved_core.runner.runtime ||
        core.runner.runtime->userdata != &saved_core) {
        boot();
        return;
    }
    fake_board_restore();
    core = saved_core;
    IM3Module m = module_of(&core);
    for (uint32_t i = 0; i < m->numGlobals; i++) m->globals[i].intValue = saved_globals[i];
    runner_write_memory(&core.runner, 0, saved_memory, sizeof saved_memory);
}

static void print_stats(void) {
    fprintf(stderr, "fuzz_frames: %llu inputs, %llu frames (0x00-delimited runs) fed, %llu boots\n", inputs, frames_fed,
            boots);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    if (getenv("FUZZ_STATS")) atexit(print_stats);
    return 0;
}

static void records(const uint8_t *d, size_t n) {
    size_t i = 0;
    while (i + 2 <= n) {
        uint8_t kind = d[i++];
        uint8_t type = request_types[(kind & 0x0F) < 15 ? (kind & 0x0F) : 0];
        if ((kind & 0x0F) == 15) type = d[i++];
        if (i >= n) break;
        size_t len = (size_t)d[i++] * ((kind & 0x40) ? 4u : 1u);
        if (len > n - i) len = n - i;
        const uint8_t *payload = d + i;
        i += len;
        if (kind & 0x80) {
            feed(payload, len);
        } else {
            size_t w = frame_encode(type, (uint16_t)i, payload, len, wire);
            if (w && (kind & 0x20)) wire[(len * 7u + kind) % w] ^= (uint8_t)(1u << (kind & 7));
            feed(wire, w);
        }
        for (int steps = 0; (kind & 0x10) && steps < 8 && core.training; steps++) core_poll(&core);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0) return 0;
    inputs++;
    restore();
    if (data[0] & 1) records(data + 1, size - 1);
    else feed(data + 1, size - 1);
    /* Whatever came before, the board still answers a well-formed HELLO. */
    uint8_t zero = 0, hello[2];
    put_u16(hello, QIOT_PROTOCOL_VERSION);
    feed(&zero, 1);
    size_t n = frame_encode(MSG_HELLO, 0xBEEF, hello, 2, wire);
    core_feed(&core, wire, n);
    out_frame_t out[4];
    size_t got = fake_board_take_output(out, 4);
    if (got < 1 || out[got - 1].type != MSG_INFO || out[got - 1].seq != 0xBEEF) abort();
    return 0;
}
