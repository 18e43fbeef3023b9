/* Shared between wasm_check.c (sections) and wasm_code.c (function bodies). */
#ifndef QIOT_WASM_CHECK_INT_H
#define QIOT_WASM_CHECK_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "qiot_config.h"
#include "wasm_read.h"

/* Value types as encoded; 0 = none / unknown (after unreachable). */
enum { VT_I32 = 0x7F, VT_I64 = 0x7E, VT_F32 = 0x7D, VT_F64 = 0x7C, VT_ANY = 0 };

typedef struct {
    uint8_t op;      /* 0x02 block, 0x03 loop, 0x04 if, 0x05 else, 0 function */
    uint8_t result;  /* result type or VT_ANY for none */
    uint16_t height; /* operand stack height at entry */
    bool unreachable;
} wasm_ctrl_t;

typedef struct {
    /* Module. */
    uint32_t type_count, func_count, import_count, global_count;
    uint8_t type_nparams[QIOT_WASM_MAX_TYPES];
    uint8_t type_params[QIOT_WASM_MAX_TYPES][QIOT_WASM_MAX_PARAMS];
    uint8_t type_result[QIOT_WASM_MAX_TYPES]; /* VT_ANY = no result */
    uint8_t func_type[QIOT_WASM_MAX_FUNCS];
    uint8_t global_type[QIOT_WASM_MAX_GLOBALS];
    bool global_mutable[QIOT_WASM_MAX_GLOBALS];
    bool has_memory, has_table, has_data_count, has_data;
    uint32_t data_count;
    /* The function body being checked. */
    uint32_t local_count;
    uint8_t local_type[QIOT_WASM_MAX_LOCALS];
    uint32_t height, depth;
    uint8_t vals[QIOT_WASM_MAX_STACK];
    wasm_ctrl_t ctrls[QIOT_WASM_MAX_DEPTH];
    /* First problem found. */
    const char *why;
    uint32_t at;
} wasm_state_t;

/* Records the first problem (at the reader's offset); returns false. */
bool wasm_fail(wasm_state_t *s, const wasm_reader_t *r, const char *why);
/* Checks one function body (locals and code) for function `func`; r spans
 * exactly the body. */
bool wasm_check_body(wasm_state_t *s, wasm_reader_t *r, uint32_t func);
/* A constant expression of type `type` (global, data and element offsets). */
bool wasm_check_const_expr(wasm_state_t *s, wasm_reader_t *r, uint8_t type);

#endif
