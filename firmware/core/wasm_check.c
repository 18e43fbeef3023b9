/* Module structure: header, sections in order, each section's entries within
 * its size and qiot's limits; function bodies go to wasm_code.c. */
#include "wasm_check.h"

#include <string.h>

#include "protocol.h"
#include "text.h"
#include "wasm_check_int.h"

/* Static: too large for an MCU task stack, and checks never overlap. */
static wasm_state_t state;

static bool is_valtype(uint8_t t) { return t == VT_I32 || t == VT_I64 || t == VT_F32 || t == VT_F64; }

/* A count of entries, refused above `limit`. */
static bool count(wasm_state_t *s, wasm_reader_t *r, uint32_t limit, uint32_t *n, const char *what) {
    *n = wr_u32(r);
    if (r->bad) return wasm_fail(s, r, "truncated count");
    return *n <= limit || wasm_fail(s, r, what);
}

/* Well-formed UTF-8 (no overlong forms, no surrogates, at most U+10FFFF), as
 * the spec requires of every name. */
static bool utf8_valid(const uint8_t *p, uint32_t n) {
    for (uint32_t i = 0; i < n;) {
        uint8_t b = p[i];
        uint32_t len = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 0;
        if (len == 0 || len > n - i) return false;
        uint32_t cp = len == 1 ? b : b & (0x7F >> len);
        for (uint32_t k = 1; k < len; k++) {
            if ((p[i + k] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        static const uint32_t min_for_len[5] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < min_for_len[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += len;
    }
    return true;
}

/* A name: vec(byte) of UTF-8; returns its bytes (NULL after a failure). */
static const uint8_t *name(wasm_state_t *s, wasm_reader_t *r, uint32_t *len) {
    *len = wr_u32(r);
    const uint8_t *p = r->p;
    wr_skip(r, *len);
    if (r->bad) {
        wasm_fail(s, r, "name past its section");
        return NULL;
    }
    if (!utf8_valid(p, *len)) {
        wasm_fail(s, r, "name that is not UTF-8");
        return NULL;
    }
    return p;
}

/* A name (vec(byte)); true when it equals `want`. */
static bool name_equals(wasm_reader_t *r, const char *want) {
    uint32_t n = wr_u32(r);
    const uint8_t *p = r->p;
    wr_skip(r, n);
    return !r->bad && n == strlen(want) && memcmp(p, want, n) == 0;
}

static bool types(wasm_state_t *s, wasm_reader_t *r) {
    if (!count(s, r, QIOT_WASM_MAX_TYPES, &s->type_count, "more types than the limit")) return false;
    for (uint32_t i = 0; i < s->type_count; i++) {
        if (wr_u8(r) != 0x60) return wasm_fail(s, r, "type other than a function type");
        uint32_t n;
        if (!count(s, r, QIOT_WASM_MAX_PARAMS, &n, "function type with more parameters than the limit")) return false;
        s->type_nparams[i] = (uint8_t)n;
        for (uint32_t j = 0; j < n; j++)
            if (!is_valtype(s->type_params[i][j] = wr_u8(r))) return wasm_fail(s, r, "bad parameter type");
        if (!count(s, r, 1, &n, "function type with more than one result")) return false;
        s->type_result[i] = n ? wr_u8(r) : VT_ANY;
        if (n && !is_valtype(s->type_result[i])) return wasm_fail(s, r, "bad result type");
    }
    return true;
}

/* docs/abi.md: the only import is env.abort(i32, i32, i32, i32). */
static bool imports(wasm_state_t *s, wasm_reader_t *r) {
    uint32_t n;
    if (!count(s, r, 1, &n, "more than one import (docs/abi.md allows only env.abort)")) return false;
    if (n == 0) return true;
    bool env = name_equals(r, "env");
    bool abort = name_equals(r, "abort");
    uint8_t kind = wr_u8(r);
    if (r->bad || !env || !abort || kind != 0)
        return wasm_fail(s, r, "import other than env.abort (docs/abi.md: the only import)");
    uint32_t type = wr_u32(r);
    if (r->bad || type >= s->type_count) return wasm_fail(s, r, "import type index out of range");
    bool four_i32 = s->type_nparams[type] == 4 && s->type_result[type] == VT_ANY;
    for (uint32_t j = 0; four_i32 && j < 4; j++) four_i32 = s->type_params[type][j] == VT_I32;
    if (!four_i32) return wasm_fail(s, r, "env.abort is not (i32, i32, i32, i32) -> ()");
    s->func_type[0] = (uint8_t)type;
    s->import_count = s->func_count = 1;
    return true;
}

static bool functions(wasm_state_t *s, wasm_reader_t *r, uint32_t *defined) {
    if (!count(s, r, QIOT_WASM_MAX_FUNCS - s->import_count, defined, "more functions than the limit")) return false;
    for (uint32_t i = 0; i < *defined; i++) {
        uint32_t type = wr_u32(r);
        if (r->bad || type >= s->type_count) return wasm_fail(s, r, "function type index out of range");
        s->func_type[s->func_count++] = (uint8_t)type;
    }
    return true;
}

/* limits: flag 0 (min) or 1 (min, max ≥ min); min ≤ limit. */
static bool limits(wasm_state_t *s, wasm_reader_t *r, uint32_t limit, const char *what) {
    uint8_t flag = wr_u8(r);
    uint32_t min = wr_u32(r);
    uint32_t max = flag == 1 ? wr_u32(r) : min;
    if (r->bad || flag > 1 || max < min) return wasm_fail(s, r, "bad limits");
    return max <= limit || wasm_fail(s, r, what);
}

static bool tables(wasm_state_t *s, wasm_reader_t *r) {
    uint32_t n;
    if (!count(s, r, 1, &n, "more than one table")) return false;
    if (n == 0) return true;
    if (wr_u8(r) != 0x70) return wasm_fail(s, r, "table of other than funcref");
    s->has_table = true;
    return limits(s, r, QIOT_WASM_MAX_TABLE, "table larger than the limit");
}

static bool memories(wasm_state_t *s, wasm_reader_t *r) {
    uint32_t n;
    if (!count(s, r, 1, &n, "more than one memory")) return false;
    s->has_memory = n == 1;
    return n == 0 || limits(s, r, QIOT_WASM_MAX_PAGES, "memory of more pages than the limit (docs/abi.md)");
}

static bool globals(wasm_state_t *s, wasm_reader_t *r) {
    if (!count(s, r, QIOT_WASM_MAX_GLOBALS, &s->global_count, "more globals than the limit")) return false;
    for (uint32_t i = 0; i < s->global_count; i++) {
        uint8_t type = wr_u8(r), mut = wr_u8(r);
        if (r->bad || !is_valtype(type) || mut > 1) return wasm_fail(s, r, "bad global type");
        s->global_type[i] = type;
        s->global_mutable[i] = mut == 1;
        if (!wasm_check_const_expr(s, r, type)) return false;
    }
    return true;
}

static bool exports(wasm_state_t *s, wasm_reader_t *r) {
    static const uint8_t *names[QIOT_WASM_MAX_EXPORTS];
    static uint32_t lengths[QIOT_WASM_MAX_EXPORTS];
    uint32_t n;
    if (!count(s, r, QIOT_WASM_MAX_EXPORTS, &n, "more exports than the limit")) return false;
    for (uint32_t i = 0; i < n; i++) {
        if (!(names[i] = name(s, r, &lengths[i]))) return false;
        uint8_t kind = wr_u8(r);
        uint32_t index = wr_u32(r);
        if (r->bad) return wasm_fail(s, r, "truncated export");
        for (uint32_t j = 0; j < i; j++)
            if (lengths[j] == lengths[i] && memcmp(names[j], names[i], lengths[i]) == 0)
                return wasm_fail(s, r, "two exports of the same name");
        uint32_t bound = kind == 0   ? s->func_count
                         : kind == 1 ? s->has_table
                         : kind == 2 ? s->has_memory
                         : kind == 3 ? s->global_count
                                     : 0;
        if (index >= bound) return wasm_fail(s, r, "export of something that does not exist");
    }
    return true;
}

static bool start(wasm_state_t *s, wasm_reader_t *r) {
    uint32_t f = wr_u32(r);
    if (r->bad || f >= s->func_count) return wasm_fail(s, r, "start function does not exist");
    uint8_t type = s->func_type[f];
    return (s->type_nparams[type] == 0 && s->type_result[type] == VT_ANY) ||
           wasm_fail(s, r, "start function takes or returns values");
}

/* Element and data segments: active, for table/memory 0 at an i32 offset. */
static bool segment_head(wasm_state_t *s, wasm_reader_t *r, bool exists) {
    uint32_t flags = wr_u32(r);
    if (r->bad || flags != 0) return wasm_fail(s, r, "segment other than active for index 0");
    if (!exists) return wasm_fail(s, r, "segment without a table or memory");
    return wasm_check_const_expr(s, r, VT_I32);
}

static bool elements(wasm_state_t *s, wasm_reader_t *r) {
    uint32_t n = wr_u32(r);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t m;
        if (r->bad || !segment_head(s, r, s->has_table)) return wasm_fail(s, r, "bad element segment");
        if (!count(s, r, QIOT_WASM_MAX_TABLE, &m, "element segment longer than the limit")) return false;
        for (uint32_t j = 0; j < m; j++)
            if (wr_u32(r) >= s->func_count || r->bad)
                return wasm_fail(s, r, "element of a function that does not exist");
    }
    return !r->bad || wasm_fail(s, r, "truncated element section");
}

static bool code(wasm_state_t *s, wasm_reader_t *r, uint32_t defined) {
    uint32_t n = wr_u32(r);
    if (r->bad || n != defined) return wasm_fail(s, r, "function and code section counts differ");
    for (uint32_t i = 0; i < n; i++) {
        uint32_t size = wr_u32(r);
        if (r->bad || size > (uint32_t)(r->end - r->p)) return wasm_fail(s, r, "function body past its section");
        wasm_reader_t body = {r->start, r->p, r->p + size, false};
        if (!wasm_check_body(s, &body, s->import_count + i)) return false;
        r->p = body.end;
    }
    return true;
}

static bool data(wasm_state_t *s, wasm_reader_t *r) {
    uint32_t n = wr_u32(r);
    if (s->has_data_count && n != s->data_count) return wasm_fail(s, r, "data count differs from the data section");
    s->has_data = true;
    for (uint32_t i = 0; i < n && !r->bad; i++) {
        if (!segment_head(s, r, s->has_memory)) return false;
        wr_skip(r, wr_u32(r));
    }
    return !r->bad || wasm_fail(s, r, "truncated data section");
}

static bool section(wasm_state_t *s, wasm_reader_t *r, uint8_t id, uint32_t *defined) {
    switch (id) {
    case 0: { /* custom: a name, then anything wasm3 skips */
        uint32_t len;
        const uint8_t *p = name(s, r, &len);
        if (!p) return false;
        /* wasm3 parses the "name" section (debug names); qiot never needs it. */
        if (len == 4 && memcmp(p, "name", 4) == 0)
            return wasm_fail(s, r, "name section (debug names; build without --debug)");
        r->p = r->end;
        return true;
    }
    case 1:
        return types(s, r);
    case 2:
        return imports(s, r);
    case 3:
        return functions(s, r, defined);
    case 4:
        return tables(s, r);
    case 5:
        return memories(s, r);
    case 6:
        return globals(s, r);
    case 7:
        return exports(s, r);
    case 8:
        return start(s, r);
    case 9:
        return elements(s, r);
    case 10:
        return code(s, r, *defined);
    case 11:
        return data(s, r);
    case 12: /* data count (bulk memory): checked against the data section */
        s->data_count = wr_u32(r);
        s->has_data_count = true;
        return !r->bad || wasm_fail(s, r, "bad data count");
    default:
        return wasm_fail(s, r, "unknown section");
    }
}

static bool module(wasm_state_t *s, wasm_reader_t *r) {
    static const uint8_t header[8] = {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
    /* Section order by id: data count (12) comes between element and code. */
    static const uint8_t order[13] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 10};
    if ((size_t)(r->end - r->p) < sizeof header || memcmp(r->p, header, sizeof header) != 0)
        return wasm_fail(s, r, "not a WebAssembly 1 module (magic, version)");
    r->p += sizeof header;
    uint8_t last = 0;
    uint32_t defined = 0;
    bool has_code = false;
    while (!wr_done(r)) {
        uint8_t id = wr_u8(r);
        uint32_t size = wr_u32(r);
        if (r->bad || size > (uint32_t)(r->end - r->p)) return wasm_fail(s, r, "section past the end of the module");
        uint8_t rank = id < sizeof order ? order[id] : 0xFF;
        if (rank == 0xFF) return wasm_fail(s, r, "unknown section");
        if (id != 0 && rank <= last) return wasm_fail(s, r, "section out of order or repeated");
        if (id != 0) last = rank;
        has_code |= id == 10;
        wasm_reader_t sec = {r->start, r->p, r->p + size, false};
        if (!section(s, &sec, id, &defined)) return false;
        if (sec.bad || !wr_done(&sec)) return wasm_fail(s, &sec, "section size differs from its contents");
        r->p = sec.end;
    }
    if (s->has_data_count && s->data_count != 0 && !s->has_data)
        return wasm_fail(s, r, "data count without a data section");
    return has_code || defined == 0 || wasm_fail(s, r, "functions without a code section");
}

int wasm_check(const uint8_t *bytes, uint32_t size, char *err, size_t err_cap) {
    memset(&state, 0, sizeof state);
    wasm_reader_t r = {bytes, bytes, bytes + size, false};
    if (module(&state, &r)) return ERR_NONE;
    text_set(err, err_cap, "invalid module at byte ");
    text_append_uint(err, err_cap, state.at);
    text_append(err, err_cap, ": ");
    text_append(err, err_cap, state.why ? state.why : "malformed");
    return ERR_MODULE_INVALID;
}
