/* The module checker (core/wasm_check.c): modules built here byte by byte,
 * each refused for the reason it names, plus the wasm3 0.5.0 compiler crash
 * of issue 15 rebuilt from scratch and refused through UPLOAD_COMMIT with the
 * board still healthy. */
#include <string.h>

#include "bytes.h"
#include "harness.h"
#include "protocol.h"
#include "test_util.h"
#include "wasm_check.h"

/* A module: types () -> () and (i32, i32, i32, f64) -> (), optional imports
 * section bytes, one function of type 0 with `locals` then `code`. */
typedef struct {
    uint8_t bytes[4096];
    uint32_t len;
} built_t;

static void put(built_t *m, const uint8_t *p, uint32_t n) {
    memcpy(m->bytes + m->len, p, n);
    m->len += n;
}

static void put_leb(built_t *m, uint32_t v) {
    do {
        uint8_t b = v & 0x7F;
        v >>= 7;
        if (v) b |= 0x80;
        put(m, &b, 1);
    } while (v);
}

static void section(built_t *m, uint8_t id, const built_t *body) {
    put(m, &id, 1);
    put_leb(m, body->len);
    put(m, body->bytes, body->len);
}

static built_t build(const uint8_t *imports, uint32_t imports_len, const uint8_t *locals, uint32_t locals_len,
                     const uint8_t *code, uint32_t code_len) {
    static const uint8_t header[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
    static const uint8_t types[] = {0x03, 0x60, 0x00, 0x00, 0x60, 0x04, 0x7f, 0x7f, 0x7f,
                                    0x7c, 0x00, 0x60, 0x04, 0x7f, 0x7f, 0x7f, 0x7f, 0x00};
    built_t m = {.len = 0}, s = {.len = 0};
    put(&m, header, sizeof header);
    put(&s, types, sizeof types);
    section(&m, 1, &s);
    if (imports_len) {
        s.len = 0;
        put(&s, imports, imports_len);
        section(&m, 2, &s);
    }
    s.len = 0;
    put(&s, (const uint8_t[]){0x01, 0x00}, 2); /* one function of type 0 */
    section(&m, 3, &s);
    built_t body = {.len = 0};
    put(&body, locals, locals_len);
    put(&body, code, code_len);
    s.len = 0;
    put_leb(&s, 1);
    put_leb(&s, body.len);
    put(&s, body.bytes, body.len);
    section(&m, 10, &s);
    return m;
}

static const uint8_t no_locals[] = {0x00};

static int check_code(const uint8_t *code, uint32_t len, char *err) {
    built_t m = build(NULL, 0, no_locals, sizeof no_locals, code, len);
    return wasm_check(m.bytes, m.len, err, QIOT_MAX_TEXT);
}

/* Issue 15's reproducer mutates qiot.wasm so that, after a `br`, a `loop`
 * takes block type 11 = (i32, i32, i32, f64) -> (). wasm3 0.5.0 compiles that
 * by marking slot 65 535 of a 256-byte array allocated (a heap write out of
 * bounds: UBSan/ASan report it at m3_compile.c MarkSlotAllocated). The same
 * shape, rebuilt here: the invalid variant (the loop leaves its params on the
 * stack, like the reproducer) and a variant that is valid WebAssembly (it
 * drops them) and still crashes unpatched wasm3; both checked by hand against
 * the original under ASan. The checker refuses block types with params or
 * several results (multi-value), which qiot modules never use. */
static const uint8_t crash_invalid[] = {0x0c, 0x00, 0x03, 0x01, 0x0b, 0x0b};
static const uint8_t crash_valid[] = {0x0c, 0x00, 0x03, 0x01, 0x1a, 0x1a, 0x1a, 0x1a, 0x0b, 0x0b};

static void wasm3_compiler_crash(void) {
    char err[QIOT_MAX_TEXT];
    CHECK(check_code(crash_invalid, sizeof crash_invalid, err) == ERR_MODULE_INVALID);
    CHECKF(strstr(err, "multi-value blocks are refused") != NULL, "%s", err);
    CHECK(check_code(crash_valid, sizeof crash_valid, err) == ERR_MODULE_INVALID);
    CHECKF(strstr(err, "invalid module at byte 40: block type") != NULL, "%s", err);

    /* Through the protocol: refused, the previous module stays and trains. */
    static qiot_core_t core;
    static out_frame_t out[MAX_OUT_FRAMES];
    uint8_t cfg[QIOT_CONFIG_STRUCT_SIZE];
    fixture_config(cfg);
    boot_with_fixture(&core, cfg);
    built_t m = build(NULL, 0, no_locals, sizeof no_locals, crash_valid, sizeof crash_valid);
    out_frame_t answer = upload_via_frames(&core, m.bytes, m.len);
    CHECK(error_code(&answer) == ERR_MODULE_INVALID && error_text_contains(&answer, "multi-value"));
    uint8_t hello[2];
    put_u16(hello, 1);
    CHECK(request(&core, MSG_HELLO, 5, hello, 2, out) == 1 && out[0].type == MSG_INFO);
    uint32_t len;
    fixture_module(&len);
    CHECK(core.store.active_slot == 0 && core.store.module_size == len && runner_loaded(&core.runner));
    CHECK(request(&core, MSG_CONFIG, 6, cfg, sizeof cfg, out) == 1 && out[0].type == MSG_OK);
    uint8_t steps[4];
    put_u32(steps, 1);
    CHECK(request(&core, MSG_TRAIN_START, 7, steps, 4, out) == 1 && out[0].type == MSG_OK);
    core_poll(&core);
    size_t n = fake_board_take_output(out, MAX_OUT_FRAMES);
    CHECK(n == 2 && out[0].type == MSG_TELEMETRY && out[1].type == MSG_DONE);
    core_teardown(&core);
}

/* docs/abi.md: the only import is env.abort, used or not. */
static void imports(void) {
    static const uint8_t abort_import[] = {0x01, 0x03, 'e', 'n', 'v', 0x05, 'a', 'b', 'o', 'r', 't', 0x00, 0x02};
    static const uint8_t fd_write[] = {0x01, 0x16, 'w', 'a', 's', 'i', '_', 's', 'n', 'a',  'p', 's',
                                       'h',  'o',  't', '_', 'p', 'r', 'e', 'v', 'i', 'e',  'w', '1',
                                       0x08, 'f',  'd', '_', 'w', 'r', 'i', 't', 'e', 0x00, 0x01};
    static const uint8_t abort_wrong_type[] = {0x01, 0x03, 'e', 'n', 'v', 0x05, 'a', 'b', 'o', 'r', 't', 0x00, 0x01};
    static const uint8_t end[] = {0x0b};
    char err[QIOT_MAX_TEXT];
    built_t m = build(abort_import, sizeof abort_import, no_locals, 1, end, 1);
    CHECKF(wasm_check(m.bytes, m.len, err, sizeof err) == ERR_NONE, "%s", err);
    m = build(fd_write, sizeof fd_write, no_locals, 1, end, 1);
    CHECK(wasm_check(m.bytes, m.len, err, sizeof err) == ERR_MODULE_INVALID);
    CHECKF(strstr(err, "import other than env.abort") != NULL, "%s", err);
    m = build(abort_wrong_type, sizeof abort_wrong_type, no_locals, 1, end, 1);
    CHECK(wasm_check(m.bytes, m.len, err, sizeof err) == ERR_MODULE_INVALID);
    CHECKF(strstr(err, "env.abort is not (i32, i32, i32, i32) -> ()") != NULL, "%s", err);
}

/* The limits of qiot_config.h hold exactly at their value. */
static void limits(void) {
    char err[QIOT_MAX_TEXT];
    uint8_t code[2 * QIOT_WASM_MAX_STACK + 8];
    for (uint32_t depth = QIOT_WASM_MAX_STACK; depth <= QIOT_WASM_MAX_STACK + 1; depth++) {
        uint32_t n = 0;
        for (uint32_t i = 0; i < depth; i++) {
            code[n++] = 0x41; /* i32.const 0 */
            code[n++] = 0x00;
        }
        code[n++] = 0x0f; /* return: the stack may hold anything */
        code[n++] = 0x0b;
        int got = check_code(code, n, err);
        CHECKF(depth == QIOT_WASM_MAX_STACK ? got == ERR_NONE : strstr(err, "operand stack deeper") != NULL,
               "depth %u: %s", depth, err);
    }
    for (uint32_t count = QIOT_WASM_MAX_LOCALS; count <= QIOT_WASM_MAX_LOCALS + 1; count++) {
        built_t body = {.len = 0};
        put_leb(&body, 1);
        put_leb(&body, count);
        put(&body, (const uint8_t[]){0x7f}, 1);
        static const uint8_t end[] = {0x0b};
        built_t m = build(NULL, 0, body.bytes, body.len, end, 1);
        int got = wasm_check(m.bytes, m.len, err, sizeof err);
        CHECKF(count == QIOT_WASM_MAX_LOCALS ? got == ERR_NONE : strstr(err, "more locals than the limit") != NULL,
               "%u locals: %s", count, err);
    }
}

/* Each is refused, naming why. */
static void refusals(void) {
    static const struct {
        const char *why;
        uint8_t code[8];
        uint32_t len;
    } cases[] = {
        {"operand type mismatch", {0x41, 0x00, 0x9a, 0x1a, 0x0b}, 5}, /* i32.const; f64.neg */
        {"operand stack underflow", {0x6a, 0x0b}, 2},                 /* i32.add on nothing */
        {"values left on the stack", {0x41, 0x00, 0x0b}, 3},          /* () -> () leaves an i32 */
        {"label that does not exist", {0x0c, 0x01, 0x0b}, 3},         /* br 1 at depth 1 */
        {"local index out of range", {0x20, 0x00, 0x1a, 0x0b}, 4},    /* local.get 0 without locals */
        {"call to a function that does not exist", {0x10, 0x05, 0x0b}, 3},
        {"memory access without a memory", {0x41, 0x00, 0x28, 0x02, 0x00, 0x1a, 0x0b}, 7},
        {"unknown or unsupported opcode", {0xfd, 0x00, 0x0b}, 3}, /* SIMD */
        {"function body ends without end", {0x01}, 1},
        {"bytes after the function's end", {0x0b, 0x01}, 2},
        {"else without if", {0x05, 0x0b}, 2},
    };
    char err[QIOT_MAX_TEXT];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int got = check_code(cases[i].code, cases[i].len, err);
        CHECKF(got == ERR_MODULE_INVALID && strstr(err, cases[i].why) != NULL, "want '%s', got: %s", cases[i].why, err);
    }
}

/* A proper prefix of a good module passes only when it ends between
 * sections before the function section (no functions, hence valid). */
static void truncations(void) {
    uint32_t len;
    const uint8_t *m = fixture_module(&len);
    uint32_t functions_at = 8; /* where the function section starts */
    while (functions_at < len && m[functions_at] != 3) {
        uint32_t size = 0, p = functions_at + 1;
        for (uint32_t shift = 0;; shift += 7) {
            size |= (uint32_t)(m[p] & 0x7F) << shift;
            if (!(m[p++] & 0x80)) break;
        }
        functions_at = p + size;
    }
    char err[QIOT_MAX_TEXT];
    size_t accepted = 0, accepted_late = 0;
    for (uint32_t n = 0; n < len; n++) {
        if (wasm_check(m, n, err, sizeof err) != ERR_NONE) continue;
        accepted++;
        accepted_late += n > functions_at;
    }
    CHECKF(accepted >= 1 && accepted_late == 0, "%zu cuts accepted, %zu after the functions", accepted, accepted_late);
    CHECKF(wasm_check(m, len, err, sizeof err) == ERR_NONE, "%s", err);
}

/* Names are UTF-8, and the "name" section (wasm3 parses it) is refused; other
 * custom sections are skipped. Found by the module fuzzer's cross-check
 * against wabt. */
static void names(void) {
    static const uint8_t end[] = {0x0b};
    char err[QIOT_MAX_TEXT];
    const built_t good = build(NULL, 0, no_locals, 1, end, 1);
    static const uint8_t bad_utf8[] = {0x00, 0x04, 0x02, 0xc0, 0xaf, 0x00}; /* overlong '/' */
    static const uint8_t name_section[] = {0x00, 0x05, 0x04, 'n', 'a', 'm', 'e'};
    static const uint8_t other_section[] = {0x00, 0x05, 0x04, 'n', 'o', 't', 'e'};
    built_t m = good;
    put(&m, bad_utf8, sizeof bad_utf8);
    CHECK(wasm_check(m.bytes, m.len, err, sizeof err) == ERR_MODULE_INVALID);
    CHECKF(strstr(err, "name that is not UTF-8") != NULL, "%s", err);
    m = good;
    put(&m, name_section, sizeof name_section);
    CHECK(wasm_check(m.bytes, m.len, err, sizeof err) == ERR_MODULE_INVALID);
    CHECKF(strstr(err, "name section (debug names") != NULL, "%s", err);
    m = good;
    put(&m, other_section, sizeof other_section);
    CHECKF(wasm_check(m.bytes, m.len, err, sizeof err) == ERR_NONE, "%s", err);
}

void test_wasm_check(void) {
    wasm3_compiler_crash();
    imports();
    limits();
    refusals();
    names();
    truncations();
}
