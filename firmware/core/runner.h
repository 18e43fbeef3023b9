/* The wasm3 embedding: one loaded qiot module (docs/abi.md) and calls into it. */
#ifndef QIOT_RUNNER_H
#define QIOT_RUNNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "qiot_config.h"
#include "wasm3.h"

enum runner_fn {
    FN_ABI_VERSION,
    FN_MAX_QUBITS,
    FN_MAX_PARAMS,
    FN_DATASET_CAPACITY,
    FN_CONFIG_PTR,
    FN_DATASET_PTR,
    FN_PARAMS_PTR,
    FN_TELEMETRY_PTR,
    FN_MESSAGE_PTR,
    FN_INIT,
    FN_PARAM_COUNT,
    FN_STEP,
    FN_STEP_BEGIN,
    FN_STEP_CONTINUE,
    FN_EVALUATE,
    FN_ACCURACY,
    FN_ERROR_MESSAGE,
    FN_COUNT
};

typedef struct {
    IM3Environment env;
    IM3Runtime runtime;
    IM3Function fn[FN_COUNT];
    const uint8_t *bytes; /* module bytes; must outlive the runtime (pitfall 8) */
    uint32_t size;
    uint32_t max_qubits, max_params, dataset_capacity;
    uint32_t config_ptr, dataset_ptr, params_ptr, telemetry_ptr, message_ptr;
    bool aborted;
    char trap_text[QIOT_MAX_TEXT];
} runner_t;

/* Outcome of a call into the module. */
typedef enum { CALL_OK = 0, CALL_TRAP = 1 } call_result_t;

/* Parses, links and instantiates the module, checks its exports, its
 * abi_version() and its memory regions. Returns ERR_NONE, ERR_MODULE_INVALID
 * or ERR_ABI_MISMATCH (enum qiot_error) with a message in err. On failure
 * nothing stays allocated. */
int runner_load(runner_t *r, const uint8_t *bytes, uint32_t size, char *err, size_t err_cap);
/* Frees the runtime and the environment (pitfall 10: wasm3's heap use grows
 * unless both are re-created). Safe on an unloaded runner. */
void runner_unload(runner_t *r);
/* Unloads and loads the same bytes again: the recovery after a trap. */
int runner_reload(runner_t *r, char *err, size_t err_cap);
bool runner_loaded(const runner_t *r);

/* Linear memory access, bounds-checked: false when out of range. */
bool runner_write_memory(runner_t *r, uint32_t addr, const uint8_t *data, size_t len);
bool runner_read_memory(runner_t *r, uint32_t addr, uint8_t *out, size_t len);

/* Calls an () → i32 export. */
call_result_t runner_call_i32(runner_t *r, enum runner_fn fn, int32_t *result);
/* Calls step_continue(budget) (i32 → i32). */
call_result_t runner_step_continue(runner_t *r, int32_t budget, int32_t *result);
/* Calls evaluate/accuracy (i32 split → f64). */
call_result_t runner_call_split_f64(runner_t *r, enum runner_fn fn, int32_t split, double *result);
/* error_message(code) → text into out (NUL-terminated, truncated to cap). */
call_result_t runner_error_message(runner_t *r, int32_t code, char *out, size_t cap);
/* Text of the last trap (abort message or wasm3's trap name). */
const char *runner_trap_text(const runner_t *r);

#endif
