/* Linear-memory loads and stores through the patched wasm3 (firmware/wasm3/aligned-access.sh:
 * one word access when the address is aligned, wasm3's byte-wise memcpy otherwise): every width
 * and op form (address in a slot or the register, value in a slot or the register) at the 8
 * alignments 0..7 reads and writes exactly the bytes a plain memcpy does. The module, from
 * this text by wat2wasm (wabt 1.0.32):
 *   (memory (export "memory") 1)
 *   l64 l32 l16 l64s32 lf64 lf32 (param i32): i64.load / i32.load / i32.load16_s / i64.load32_s /
 *     f64.load / f32.load of local 0, align=1
 *   r64 r32 (param i32): local 0 + 1, then i64.load / i32.load offset=3
 *   s64 s32 s16 s64_32 sf64 sf32 (param i32 T): the matching stores of local 1 at local 0
 *   v64 (param i32 i64): i64.store offset=2 of local 1 + 0 (value in the register)
 *   a32 (param i32 i32): i32.store offset=2 of local 1 at local 0 + 0 (address in the register) */
#include <stdint.h>
#include <string.h>

#include "harness.h"
#include "wasm3.h"

static const uint8_t memory_module[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x29, 0x08, 0x60, 0x01, 0x7f, 0x01, 0x7e, 0x60, 0x01, 0x7f,
    0x01, 0x7f, 0x60, 0x01, 0x7f, 0x01, 0x7c, 0x60, 0x01, 0x7f, 0x01, 0x7d, 0x60, 0x02, 0x7f, 0x7e, 0x00, 0x60, 0x02,
    0x7f, 0x7f, 0x00, 0x60, 0x02, 0x7f, 0x7c, 0x00, 0x60, 0x02, 0x7f, 0x7d, 0x00, 0x03, 0x11, 0x10, 0x00, 0x01, 0x01,
    0x00, 0x02, 0x03, 0x00, 0x01, 0x04, 0x05, 0x05, 0x04, 0x06, 0x07, 0x04, 0x05, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07,
    0x74, 0x11, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00, 0x03, 0x6c, 0x36, 0x34, 0x00, 0x00, 0x03, 0x6c,
    0x33, 0x32, 0x00, 0x01, 0x03, 0x6c, 0x31, 0x36, 0x00, 0x02, 0x06, 0x6c, 0x36, 0x34, 0x73, 0x33, 0x32, 0x00, 0x03,
    0x04, 0x6c, 0x66, 0x36, 0x34, 0x00, 0x04, 0x04, 0x6c, 0x66, 0x33, 0x32, 0x00, 0x05, 0x03, 0x72, 0x36, 0x34, 0x00,
    0x06, 0x03, 0x72, 0x33, 0x32, 0x00, 0x07, 0x03, 0x73, 0x36, 0x34, 0x00, 0x08, 0x03, 0x73, 0x33, 0x32, 0x00, 0x09,
    0x03, 0x73, 0x31, 0x36, 0x00, 0x0a, 0x06, 0x73, 0x36, 0x34, 0x5f, 0x33, 0x32, 0x00, 0x0b, 0x04, 0x73, 0x66, 0x36,
    0x34, 0x00, 0x0c, 0x04, 0x73, 0x66, 0x33, 0x32, 0x00, 0x0d, 0x03, 0x76, 0x36, 0x34, 0x00, 0x0e, 0x03, 0x61, 0x33,
    0x32, 0x00, 0x0f, 0x0a, 0x9d, 0x01, 0x10, 0x07, 0x00, 0x20, 0x00, 0x29, 0x00, 0x00, 0x0b, 0x07, 0x00, 0x20, 0x00,
    0x28, 0x00, 0x00, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x2e, 0x00, 0x00, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x34, 0x00, 0x00,
    0x0b, 0x07, 0x00, 0x20, 0x00, 0x2b, 0x00, 0x00, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x2a, 0x00, 0x00, 0x0b, 0x0a, 0x00,
    0x20, 0x00, 0x41, 0x01, 0x6a, 0x29, 0x00, 0x03, 0x0b, 0x0a, 0x00, 0x20, 0x00, 0x41, 0x01, 0x6a, 0x28, 0x00, 0x03,
    0x0b, 0x09, 0x00, 0x20, 0x00, 0x20, 0x01, 0x37, 0x00, 0x00, 0x0b, 0x09, 0x00, 0x20, 0x00, 0x20, 0x01, 0x36, 0x00,
    0x00, 0x0b, 0x09, 0x00, 0x20, 0x00, 0x20, 0x01, 0x3b, 0x00, 0x00, 0x0b, 0x09, 0x00, 0x20, 0x00, 0x20, 0x01, 0x3e,
    0x00, 0x00, 0x0b, 0x09, 0x00, 0x20, 0x00, 0x20, 0x01, 0x39, 0x00, 0x00, 0x0b, 0x09, 0x00, 0x20, 0x00, 0x20, 0x01,
    0x38, 0x00, 0x00, 0x0b, 0x0c, 0x00, 0x20, 0x00, 0x20, 0x01, 0x42, 0x00, 0x7c, 0x37, 0x00, 0x02, 0x0b, 0x0c, 0x00,
    0x20, 0x00, 0x41, 0x00, 0x6a, 0x20, 0x01, 0x36, 0x00, 0x02, 0x0b};

#define REGION 64

static IM3Function fn(IM3Runtime rt, const char *name) {
    IM3Function f = NULL;
    CHECKF(m3_FindFunction(&f, rt, name) == m3Err_none, "%s", name);
    return f;
}

static uint8_t pattern(int i) { return (uint8_t)(i * 37 + 11); }

static void fill(uint8_t *mem) {
    for (int i = 0; i < REGION; i++) mem[i] = pattern(i);
}

/* Calls a one-argument load at addr and compares the result's bytes with memory's. */
static void check_load(IM3Runtime rt, uint8_t *mem, const char *name, uint32_t addr, uint32_t at, size_t width,
                       bool sign_extend_32) {
    IM3Function f = fn(rt, name);
    if (!f) return;
    fill(mem);
    uint64_t got = 0;
    CHECKF(m3_CallV(f, addr) == m3Err_none && m3_GetResultsV(f, &got) == m3Err_none, "%s(%u)", name, addr);
    uint64_t want = 0;
    memcpy(&want, mem + at, width);
    if (width == 2) want = (uint32_t)(int32_t)(int16_t)want;
    if (sign_extend_32) want = (uint64_t)(int64_t)(int32_t)want;
    if (width <= 4 && !sign_extend_32) got &= 0xffffffffu;
    CHECKF(got == want, "%s(%u): %016llx, memory holds %016llx", name, addr, (unsigned long long)got,
           (unsigned long long)want);
}

/* Checks that a store left value's low width bytes at at and every other byte as it was. */
static void check_stored(uint8_t *mem, const char *name, uint32_t at, const void *value, size_t width) {
    uint8_t want[REGION];
    for (int i = 0; i < REGION; i++) want[i] = pattern(i);
    memcpy(want + at, value, width);
    CHECKF(memcmp(mem, want, REGION) == 0, "%s at %u", name, at);
}

void test_memory_access(void) {
    IM3Environment env = m3_NewEnvironment();
    IM3Runtime rt = env ? m3_NewRuntime(env, 8192, NULL) : NULL;
    IM3Module module = NULL;
    CHECK(rt != NULL);
    if (!rt) return;
    CHECK(m3_ParseModule(env, &module, memory_module, sizeof memory_module) == m3Err_none);
    CHECK(m3_LoadModule(rt, module) == m3Err_none);
    CHECK(m3_CompileModule(module) == m3Err_none);
    uint32_t size = 0;
    uint8_t *mem = m3_GetMemory(rt, &size, 0);
    CHECK(mem != NULL && size >= REGION);
    if (!mem) return;
    const uint64_t v64 = 0x8877665544332211ull;
    const uint32_t v32 = 0xddccbbaau;
    const double d = -1234.5678;
    const float s = 3.25f;
    for (uint32_t a = 0; a < 8; a++) {
        check_load(rt, mem, "l64", a, a, 8, false);
        check_load(rt, mem, "l32", a, a, 4, false);
        check_load(rt, mem, "l16", a, a, 2, false);
        check_load(rt, mem, "l64s32", a, a, 4, true);
        check_load(rt, mem, "lf64", a, a, 8, false);
        check_load(rt, mem, "r64", a, a + 4, 8, false);
        check_load(rt, mem, "r32", a, a + 4, 4, false);
        IM3Function f = fn(rt, "lf32");
        float got_f = 0;
        fill(mem);
        CHECK(f && m3_CallV(f, a) == m3Err_none && m3_GetResultsV(f, &got_f) == m3Err_none &&
              memcmp(&got_f, mem + a, 4) == 0);

        struct {
            const char *name;
            uint32_t at;
            const void *value;
            size_t width;
        } stores[] = {{"s64", a, &v64, 8}, {"s32", a, &v32, 4}, {"s16", a, &v32, 2},     {"s64_32", a, &v64, 4},
                      {"sf64", a, &d, 8},  {"sf32", a, &s, 4},  {"v64", a + 2, &v64, 8}, {"a32", a + 2, &v32, 4}};
        for (size_t i = 0; i < sizeof stores / sizeof stores[0]; i++) {
            f = fn(rt, stores[i].name);
            if (!f) continue;
            fill(mem);
            M3Result r;
            if (stores[i].value == &v64) r = m3_CallV(f, a, v64);
            else if (stores[i].value == &v32) r = m3_CallV(f, a, v32);
            else if (stores[i].value == &d) r = m3_CallV(f, a, d);
            else r = m3_CallV(f, a, (double)s);
            CHECKF(r == m3Err_none, "%s(%u): %s", stores[i].name, a, r);
            check_stored(mem, stores[i].name, stores[i].at, stores[i].value, stores[i].width);
        }
    }
    /* Past the end of memory: still a clean trap, not an access. */
    IM3Function f = fn(rt, "l32");
    CHECK(f && m3_CallV(f, size - 2) == m3Err_trapOutOfBoundsMemoryAccess);
    m3_FreeRuntime(rt);
    m3_FreeEnvironment(env);
}
