/* Function bodies: the validation algorithm of the WebAssembly 1.0 spec
 * (appendix "Validation Algorithm") over an operand-type stack and a control
 * stack, both bounded by qiot_config.h. Accepts the MVP instructions, sign
 * extension (0xC0-0xC4) and 0xFC 0-7 (trunc_sat), 10 and 11 (memory.copy,
 * memory.fill), which wasm3 0.5.0 runs; anything else is refused. */
#include <stddef.h>

#include "wasm_check_int.h"

bool wasm_fail(wasm_state_t *s, const wasm_reader_t *r, const char *why) {
    if (!s->why) {
        s->why = why;
        s->at = wr_offset(r);
    }
    return false;
}

static bool push(wasm_state_t *s, const wasm_reader_t *r, uint8_t t) {
    if (s->height >= QIOT_WASM_MAX_STACK) return wasm_fail(s, r, "operand stack deeper than the limit");
    s->vals[s->height++] = t;
    return true;
}

/* Pops a value of type `want` (VT_ANY: any type). */
static bool pop(wasm_state_t *s, const wasm_reader_t *r, uint8_t want, uint8_t *got) {
    wasm_ctrl_t *c = &s->ctrls[s->depth - 1];
    uint8_t t;
    if (s->height == c->height) {
        if (!c->unreachable) return wasm_fail(s, r, "operand stack underflow");
        t = VT_ANY;
    } else {
        t = s->vals[--s->height];
    }
    if (want != VT_ANY && t != VT_ANY && t != want) return wasm_fail(s, r, "operand type mismatch");
    if (got) *got = t == VT_ANY ? want : t;
    return true;
}

static bool push_ctrl(wasm_state_t *s, const wasm_reader_t *r, uint8_t op, uint8_t result) {
    if (s->depth >= QIOT_WASM_MAX_DEPTH) return wasm_fail(s, r, "blocks nested deeper than the limit");
    s->ctrls[s->depth++] = (wasm_ctrl_t){op, result, (uint16_t)s->height, false};
    return true;
}

static bool pop_ctrl(wasm_state_t *s, const wasm_reader_t *r, wasm_ctrl_t *out) {
    wasm_ctrl_t c = s->ctrls[s->depth - 1];
    if (c.result != VT_ANY && !pop(s, r, c.result, NULL)) return false;
    if (s->height != c.height) return wasm_fail(s, r, "values left on the stack at the end of a block");
    s->depth--;
    *out = c;
    return true;
}

static void set_unreachable(wasm_state_t *s) {
    wasm_ctrl_t *c = &s->ctrls[s->depth - 1];
    s->height = c->height;
    c->unreachable = true;
}

/* The types a branch to label `depth` carries (0 or 1 value). */
static bool label_type(wasm_state_t *s, wasm_reader_t *r, uint32_t label, uint8_t *type) {
    if (label >= s->depth) return wasm_fail(s, r, "branch to a label that does not exist");
    const wasm_ctrl_t *c = &s->ctrls[s->depth - 1 - label];
    *type = c->op == 0x03 ? VT_ANY : c->result; /* a loop's label takes its (no) params */
    return true;
}

/* t.const's immediate for op 0x41-0x44; its type, or VT_ANY for another op. */
static uint8_t constant(wasm_reader_t *r, uint8_t op) {
    switch (op) {
    case 0x41:
        wr_skip_sleb(r, 32);
        return VT_I32;
    case 0x42:
        wr_skip_sleb(r, 64);
        return VT_I64;
    case 0x43:
        wr_skip(r, 4);
        return VT_F32;
    case 0x44:
        wr_skip(r, 8);
        return VT_F64;
    default:
        return VT_ANY;
    }
}

static bool block_type(wasm_state_t *s, wasm_reader_t *r, uint8_t *result) {
    uint8_t b = wr_u8(r);
    if (b == 0x40) *result = VT_ANY;
    else if (b == VT_I32 || b == VT_I64 || b == VT_F32 || b == VT_F64) *result = b;
    else {
        r->p--;
        return wasm_fail(s, r, "block type other than none or one value (multi-value blocks are refused)");
    }
    return !r->bad;
}

static bool memarg(wasm_state_t *s, wasm_reader_t *r, uint32_t natural_align) {
    if (!s->has_memory) return wasm_fail(s, r, "memory access without a memory");
    uint32_t align = wr_u32(r);
    wr_u32(r); /* offset */
    if (r->bad) return wasm_fail(s, r, "truncated memory argument");
    if (align > natural_align) return wasm_fail(s, r, "alignment larger than the access");
    return true;
}

/* Operators with fixed operand and result types, 0x45-0xC4: ranges of opcodes
 * with (first operand, second operand, result); VT_ANY = none. */
static const struct {
    uint8_t first, last, a, b, result;
} simple_ops[] = {
    {0x45, 0x45, VT_I32, VT_ANY, VT_I32}, {0x46, 0x4F, VT_I32, VT_I32, VT_I32}, {0x50, 0x50, VT_I64, VT_ANY, VT_I32},
    {0x51, 0x5A, VT_I64, VT_I64, VT_I32}, {0x5B, 0x60, VT_F32, VT_F32, VT_I32}, {0x61, 0x66, VT_F64, VT_F64, VT_I32},
    {0x67, 0x69, VT_I32, VT_ANY, VT_I32}, {0x6A, 0x78, VT_I32, VT_I32, VT_I32}, {0x79, 0x7B, VT_I64, VT_ANY, VT_I64},
    {0x7C, 0x8A, VT_I64, VT_I64, VT_I64}, {0x8B, 0x91, VT_F32, VT_ANY, VT_F32}, {0x92, 0x98, VT_F32, VT_F32, VT_F32},
    {0x99, 0x9F, VT_F64, VT_ANY, VT_F64}, {0xA0, 0xA6, VT_F64, VT_F64, VT_F64}, {0xA7, 0xA7, VT_I64, VT_ANY, VT_I32},
    {0xA8, 0xA9, VT_F32, VT_ANY, VT_I32}, {0xAA, 0xAB, VT_F64, VT_ANY, VT_I32}, {0xAC, 0xAD, VT_I32, VT_ANY, VT_I64},
    {0xAE, 0xAF, VT_F32, VT_ANY, VT_I64}, {0xB0, 0xB1, VT_F64, VT_ANY, VT_I64}, {0xB2, 0xB3, VT_I32, VT_ANY, VT_F32},
    {0xB4, 0xB5, VT_I64, VT_ANY, VT_F32}, {0xB6, 0xB6, VT_F64, VT_ANY, VT_F32}, {0xB7, 0xB8, VT_I32, VT_ANY, VT_F64},
    {0xB9, 0xBA, VT_I64, VT_ANY, VT_F64}, {0xBB, 0xBB, VT_F32, VT_ANY, VT_F64}, {0xBC, 0xBC, VT_F32, VT_ANY, VT_I32},
    {0xBD, 0xBD, VT_F64, VT_ANY, VT_I64}, {0xBE, 0xBE, VT_I32, VT_ANY, VT_F32}, {0xBF, 0xBF, VT_I64, VT_ANY, VT_F64},
    {0xC0, 0xC1, VT_I32, VT_ANY, VT_I32}, {0xC2, 0xC4, VT_I64, VT_ANY, VT_I64},
};

/* Loads 0x28-0x35 and stores 0x36-0x3E: value type and natural alignment. */
static const uint8_t access_type[] = {VT_I32, VT_I64, VT_F32, VT_F64, VT_I32, VT_I32, VT_I32, VT_I32,
                                      VT_I64, VT_I64, VT_I64, VT_I64, VT_I64, VT_I64, VT_I32, VT_I64,
                                      VT_F32, VT_F64, VT_I32, VT_I32, VT_I64, VT_I64, VT_I64};
static const uint8_t access_align[] = {2, 3, 2, 3, 0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 2, 3, 2, 3, 0, 1, 0, 1, 2};

static bool unary(wasm_state_t *s, wasm_reader_t *r, uint8_t in, uint8_t out) {
    return pop(s, r, in, NULL) && push(s, r, out);
}

static bool call(wasm_state_t *s, wasm_reader_t *r, uint32_t type) {
    for (uint32_t i = s->type_nparams[type]; i-- > 0;)
        if (!pop(s, r, s->type_params[type][i], NULL)) return false;
    return s->type_result[type] == VT_ANY || push(s, r, s->type_result[type]);
}

static bool local_index(wasm_state_t *s, wasm_reader_t *r, uint32_t *index) {
    *index = wr_u32(r);
    if (r->bad || *index >= s->local_count) return wasm_fail(s, r, "local index out of range");
    return true;
}

static bool global_index(wasm_state_t *s, wasm_reader_t *r, uint32_t *index) {
    *index = wr_u32(r);
    if (r->bad || *index >= s->global_count) return wasm_fail(s, r, "global index out of range");
    return true;
}

static bool branch_table(wasm_state_t *s, wasm_reader_t *r) {
    uint32_t n = wr_u32(r);
    if (r->bad || n > QIOT_WASM_MAX_BR_TABLE) return wasm_fail(s, r, "br_table longer than the limit");
    uint8_t want = VT_ANY, t = VT_ANY;
    if (!pop(s, r, VT_I32, NULL)) return false;
    for (uint32_t i = 0; i <= n; i++) {
        uint32_t label = wr_u32(r);
        if (r->bad || !label_type(s, r, label, &t)) return wasm_fail(s, r, "bad br_table label");
        if (i == 0) want = t;
        else if (t != want) return wasm_fail(s, r, "br_table labels of different types");
    }
    if (want != VT_ANY && !pop(s, r, want, NULL)) return false;
    set_unreachable(s);
    return true;
}

static bool prefixed(wasm_state_t *s, wasm_reader_t *r) {
    static const uint8_t sat_in[] = {VT_F32, VT_F32, VT_F64, VT_F64, VT_F32, VT_F32, VT_F64, VT_F64};
    uint32_t sub = wr_u32(r);
    if (r->bad) return wasm_fail(s, r, "truncated 0xFC instruction");
    if (sub <= 7) return unary(s, r, sat_in[sub], sub < 4 ? VT_I32 : VT_I64);
    if (sub != 10 && sub != 11) return wasm_fail(s, r, "unsupported 0xFC instruction");
    if (!s->has_memory) return wasm_fail(s, r, "memory instruction without a memory");
    for (uint32_t i = sub == 10 ? 2 : 1; i-- > 0;)
        if (wr_u8(r) != 0) return wasm_fail(s, r, "memory index other than 0");
    return pop(s, r, VT_I32, NULL) && pop(s, r, VT_I32, NULL) && pop(s, r, VT_I32, NULL);
}

/* One instruction; *ended when the function's final `end` was read. */
static bool instruction(wasm_state_t *s, wasm_reader_t *r, bool *ended) {
    uint8_t op = wr_u8(r), t = VT_ANY, u;
    uint32_t x;
    wasm_ctrl_t c;
    if (r->bad) return wasm_fail(s, r, "function body ends without end");
    if (op >= 0x45 && op <= 0xC4) {
        for (size_t i = 0; i < sizeof simple_ops / sizeof simple_ops[0]; i++) {
            if (op < simple_ops[i].first || op > simple_ops[i].last) continue;
            if (simple_ops[i].b != VT_ANY && !pop(s, r, simple_ops[i].b, NULL)) return false;
            return unary(s, r, simple_ops[i].a, simple_ops[i].result);
        }
    }
    if (op >= 0x28 && op <= 0x3E) {
        uint8_t type = access_type[op - 0x28];
        if (!memarg(s, r, access_align[op - 0x28])) return false;
        if (op <= 0x35) return unary(s, r, VT_I32, type);
        return pop(s, r, type, NULL) && pop(s, r, VT_I32, NULL);
    }
    switch (op) {
    case 0x00: /* unreachable */
        set_unreachable(s);
        return true;
    case 0x01: /* nop */
        return true;
    case 0x02: /* block */
    case 0x03: /* loop */
        return block_type(s, r, &t) && push_ctrl(s, r, op, t);
    case 0x04: /* if */
        return block_type(s, r, &t) && pop(s, r, VT_I32, NULL) && push_ctrl(s, r, op, t);
    case 0x05: /* else */
        if (s->ctrls[s->depth - 1].op != 0x04) return wasm_fail(s, r, "else without if");
        return pop_ctrl(s, r, &c) && push_ctrl(s, r, 0x05, c.result);
    case 0x0B: /* end */
        if (!pop_ctrl(s, r, &c)) return false;
        if (c.op == 0x04 && c.result != VT_ANY) return wasm_fail(s, r, "if with a result has no else");
        if (s->depth == 0) *ended = true;
        else if (c.result != VT_ANY) return push(s, r, c.result);
        return true;
    case 0x0C: /* br */
        x = wr_u32(r);
        if (r->bad || !label_type(s, r, x, &t)) return false;
        if (t != VT_ANY && !pop(s, r, t, NULL)) return false;
        set_unreachable(s);
        return true;
    case 0x0D: /* br_if */
        x = wr_u32(r);
        if (r->bad || !label_type(s, r, x, &t) || !pop(s, r, VT_I32, NULL)) return false;
        return t == VT_ANY || (pop(s, r, t, NULL) && push(s, r, t));
    case 0x0E:
        return branch_table(s, r);
    case 0x0F: /* return */
        t = s->ctrls[0].result;
        if (t != VT_ANY && !pop(s, r, t, NULL)) return false;
        set_unreachable(s);
        return true;
    case 0x10: /* call */
        x = wr_u32(r);
        if (r->bad || x >= s->func_count) return wasm_fail(s, r, "call to a function that does not exist");
        return call(s, r, s->func_type[x]);
    case 0x11: /* call_indirect */
        x = wr_u32(r);
        if (r->bad || x >= s->type_count) return wasm_fail(s, r, "call_indirect type index out of range");
        if (wr_u8(r) != 0 || !s->has_table) return wasm_fail(s, r, "call_indirect without table 0");
        return pop(s, r, VT_I32, NULL) && call(s, r, x);
    case 0x1A: /* drop */
        return pop(s, r, VT_ANY, NULL);
    case 0x1B: /* select */
        if (!pop(s, r, VT_I32, NULL) || !pop(s, r, VT_ANY, &t) || !pop(s, r, t, &u)) return false;
        return push(s, r, t == VT_ANY ? u : t);
    case 0x20: /* local.get */
        return local_index(s, r, &x) && push(s, r, s->local_type[x]);
    case 0x21: /* local.set */
        return local_index(s, r, &x) && pop(s, r, s->local_type[x], NULL);
    case 0x22: /* local.tee */
        return local_index(s, r, &x) && unary(s, r, s->local_type[x], s->local_type[x]);
    case 0x23: /* global.get */
        return global_index(s, r, &x) && push(s, r, s->global_type[x]);
    case 0x24: /* global.set */
        if (!global_index(s, r, &x)) return false;
        if (!s->global_mutable[x]) return wasm_fail(s, r, "global.set of an immutable global");
        return pop(s, r, s->global_type[x], NULL);
    case 0x3F: /* memory.size */
    case 0x40: /* memory.grow */
        if (wr_u8(r) != 0 || !s->has_memory) return wasm_fail(s, r, "memory instruction without memory 0");
        return op == 0x3F ? push(s, r, VT_I32) : unary(s, r, VT_I32, VT_I32);
    case 0x41: /* i32.const … f64.const */
    case 0x42:
    case 0x43:
    case 0x44:
        t = constant(r, op);
        return !r->bad ? push(s, r, t) : wasm_fail(s, r, "truncated constant");
    case 0xFC:
        return prefixed(s, r);
    default:
        r->p--;
        return wasm_fail(s, r, "unknown or unsupported opcode");
    }
}

static bool locals(wasm_state_t *s, wasm_reader_t *r, uint32_t type) {
    s->local_count = s->type_nparams[type];
    for (uint32_t i = 0; i < s->local_count; i++) s->local_type[i] = s->type_params[type][i];
    uint32_t groups = wr_u32(r);
    for (uint32_t g = 0; g < groups && !r->bad; g++) {
        uint32_t n = wr_u32(r);
        uint8_t t = wr_u8(r);
        if (r->bad) break;
        if (t != VT_I32 && t != VT_I64 && t != VT_F32 && t != VT_F64) return wasm_fail(s, r, "bad local type");
        if (n > QIOT_WASM_MAX_LOCALS - s->local_count) return wasm_fail(s, r, "more locals than the limit");
        while (n--) s->local_type[s->local_count++] = t;
    }
    return !r->bad || wasm_fail(s, r, "truncated locals");
}

bool wasm_check_body(wasm_state_t *s, wasm_reader_t *r, uint32_t func) {
    uint32_t type = s->func_type[func];
    if (!locals(s, r, type)) return false;
    s->height = 0;
    s->depth = 0;
    push_ctrl(s, r, 0, s->type_result[type]);
    bool ended = false;
    while (!ended)
        if (!instruction(s, r, &ended)) return false;
    return wr_done(r) || wasm_fail(s, r, "bytes after the function's end");
}

bool wasm_check_const_expr(wasm_state_t *s, wasm_reader_t *r, uint8_t type) {
    /* No imported globals, so global.get cannot appear here. */
    uint8_t got = constant(r, wr_u8(r));
    if (got == VT_ANY) return wasm_fail(s, r, "constant expression other than a constant");
    if (wr_u8(r) != 0x0B || r->bad) return wasm_fail(s, r, "constant expression without end");
    return got == type || wasm_fail(s, r, "constant expression of the wrong type");
}
