#include "runner.h"

#include <string.h>

#include "board.h"
#include "protocol.h"
#include "text.h"
#include "wasm_check.h"

/* Set before each call into the module; wasm3 traps "[trap] stack overflow"
 * at a function entry below it (our patch: firmware/wasm3/stack-guard.sh). */
extern void *qiot_native_stack_limit;

static const char *const fn_names[FN_COUNT] = {
    [FN_ABI_VERSION] = "abi_version",     [FN_MAX_QUBITS] = "max_qubits",
    [FN_MAX_PARAMS] = "max_params",       [FN_DATASET_CAPACITY] = "dataset_capacity",
    [FN_CONFIG_PTR] = "config_ptr",       [FN_DATASET_PTR] = "dataset_ptr",
    [FN_PARAMS_PTR] = "params_ptr",       [FN_TELEMETRY_PTR] = "telemetry_ptr",
    [FN_MESSAGE_PTR] = "message_ptr",     [FN_INIT] = "init",
    [FN_PARAM_COUNT] = "param_count",     [FN_STEP] = "step",
    [FN_STEP_BEGIN] = "step_begin",       [FN_STEP_CONTINUE] = "step_continue",
    [FN_EVALUATE] = "evaluate",           [FN_ACCURACY] = "accuracy",
    [FN_ERROR_MESSAGE] = "error_message",
};

/* Bytes error_message may write at message_ptr that we read back. */
#define MESSAGE_READ_MAX 160u

/* Appends an AssemblyScript string (UTF-16LE, byte length in the u32 just
 * before it) as ASCII; anything outside memory or non-ASCII becomes '?'. */
static void append_as_string(char *dst, size_t cap, const uint8_t *mem, uint32_t mem_size, uint32_t ptr) {
    if (ptr < 4 || ptr > mem_size) {
        text_append(dst, cap, "?");
        return;
    }
    uint32_t bytes = (uint32_t)mem[ptr - 4] | ((uint32_t)mem[ptr - 3] << 8) | ((uint32_t)mem[ptr - 2] << 16) |
                     ((uint32_t)mem[ptr - 1] << 24);
    if (bytes > mem_size - ptr) bytes = mem_size - ptr;
    size_t n = strlen(dst);
    for (uint32_t i = 0; i + 1 < bytes && n + 1 < cap; i += 2) {
        uint16_t unit = (uint16_t)(mem[ptr + i] | (mem[ptr + i + 1] << 8));
        dst[n++] = (unit >= 0x20 && unit < 0x7F) ? (char)unit : '?';
    }
    dst[n] = 0;
}

/* env.abort(msg, file, line, col): records the message and traps. */
static m3ApiRawFunction(host_abort) {
    runner_t *r = (runner_t *)_ctx->userdata;
    m3ApiGetArg(uint32_t, msg);
    m3ApiGetArg(uint32_t, file);
    m3ApiGetArg(uint32_t, line);
    m3ApiGetArg(uint32_t, col);
    uint32_t mem_size = m3_GetMemorySize(runtime);
    const uint8_t *mem = (const uint8_t *)_mem;
    r->aborted = true;
    text_set(r->trap_text, sizeof r->trap_text, "abort: ");
    if (msg) append_as_string(r->trap_text, sizeof r->trap_text, mem, mem_size, msg);
    else text_append(r->trap_text, sizeof r->trap_text, "(no message)");
    if (file) {
        text_append(r->trap_text, sizeof r->trap_text, " at ");
        append_as_string(r->trap_text, sizeof r->trap_text, mem, mem_size, file);
        text_append(r->trap_text, sizeof r->trap_text, ":");
        text_append_uint(r->trap_text, sizeof r->trap_text, line);
        text_append(r->trap_text, sizeof r->trap_text, ":");
        text_append_uint(r->trap_text, sizeof r->trap_text, col);
    }
    m3ApiTrap(m3Err_trapAbort);
}

/* Every call into the module runs under the watchdog and the native stack
 * guard (QIOT_WATCHDOG_MS / QIOT_WATCHDOG_UNSLICED_MS, QIOT_NATIVE_STACK_BYTES).
 * A macro: the limit is measured from the caller's own frame. */
#define ENTER_MODULE(ms)                                                                                               \
    do {                                                                                                               \
        qiot_native_stack_limit = (char *)__builtin_frame_address(0) - QIOT_NATIVE_STACK_BYTES;                        \
        board_watchdog_arm(ms);                                                                                        \
    } while (0)
#define LEAVE_MODULE() board_watchdog_disarm()

/* Calls that do a bounded slice of work (a getter, step_begin, one unit of
 * step_continue) get the short bound; the rest may evaluate a whole split. */
static uint32_t watchdog_ms(enum runner_fn fn) {
    return fn <= FN_MESSAGE_PTR || fn == FN_STEP_BEGIN || fn == FN_STEP_CONTINUE ? QIOT_WATCHDOG_MS
                                                                                 : QIOT_WATCHDOG_UNSLICED_MS;
}

static call_result_t trap(runner_t *r, M3Result result) {
    if (!r->aborted) text_set(r->trap_text, sizeof r->trap_text, result);
    r->aborted = false;
    return CALL_TRAP;
}

call_result_t runner_call_i32(runner_t *r, enum runner_fn fn, int32_t *value) {
    r->aborted = false;
    ENTER_MODULE(watchdog_ms(fn));
    M3Result res = m3_CallV(r->fn[fn]);
    LEAVE_MODULE();
    if (!res) res = m3_GetResultsV(r->fn[fn], value);
    return res ? trap(r, res) : CALL_OK;
}

call_result_t runner_step_continue(runner_t *r, int32_t budget, int32_t *value) {
    r->aborted = false;
    ENTER_MODULE(QIOT_WATCHDOG_MS);
    M3Result res = m3_CallV(r->fn[FN_STEP_CONTINUE], budget);
    LEAVE_MODULE();
    if (!res) res = m3_GetResultsV(r->fn[FN_STEP_CONTINUE], value);
    return res ? trap(r, res) : CALL_OK;
}

call_result_t runner_call_split_f64(runner_t *r, enum runner_fn fn, int32_t split, double *value) {
    r->aborted = false;
    ENTER_MODULE(QIOT_WATCHDOG_UNSLICED_MS);
    M3Result res = m3_CallV(r->fn[fn], split);
    LEAVE_MODULE();
    if (!res) res = m3_GetResultsV(r->fn[fn], value);
    return res ? trap(r, res) : CALL_OK;
}

call_result_t runner_error_message(runner_t *r, int32_t code, char *out, size_t cap) {
    r->aborted = false;
    ENTER_MODULE(QIOT_WATCHDOG_UNSLICED_MS);
    M3Result res = m3_CallV(r->fn[FN_ERROR_MESSAGE], code);
    LEAVE_MODULE();
    int32_t len = 0;
    if (!res) res = m3_GetResultsV(r->fn[FN_ERROR_MESSAGE], &len);
    if (res) return trap(r, res);
    if (len < 0) len = 0;
    if ((uint32_t)len > MESSAGE_READ_MAX) len = MESSAGE_READ_MAX;
    if ((size_t)len >= cap) len = (int32_t)(cap - 1);
    if (!runner_read_memory(r, r->message_ptr, (uint8_t *)out, (size_t)len)) len = 0;
    out[len] = 0;
    return CALL_OK;
}

const char *runner_trap_text(const runner_t *r) { return r->trap_text; }

bool runner_loaded(const runner_t *r) { return r->runtime != NULL; }

void runner_unload(runner_t *r) {
    if (r->runtime) m3_FreeRuntime(r->runtime);
    if (r->env) m3_FreeEnvironment(r->env);
    r->runtime = NULL;
    r->env = NULL;
    memset(r->fn, 0, sizeof r->fn);
}

bool runner_write_memory(runner_t *r, uint32_t addr, const uint8_t *data, size_t len) {
    uint32_t size = 0;
    uint8_t *mem = r->runtime ? m3_GetMemory(r->runtime, &size, 0) : NULL;
    if (!mem || addr > size || len > size - addr) return false;
    if (len) memcpy(mem + addr, data, len);
    return true;
}

bool runner_read_memory(runner_t *r, uint32_t addr, uint8_t *out, size_t len) {
    uint32_t size = 0;
    uint8_t *mem = r->runtime ? m3_GetMemory(r->runtime, &size, 0) : NULL;
    if (!mem || addr > size || len > size - addr) return false;
    if (len) memcpy(out, mem + addr, len);
    return true;
}

static bool region_fits(uint32_t ptr, uint32_t len, uint32_t mem_size) {
    return ptr <= mem_size && len <= mem_size - ptr;
}

static bool signature_matches(IM3Function f, enum runner_fn which) {
    bool takes_split =
        which == FN_EVALUATE || which == FN_ACCURACY || which == FN_ERROR_MESSAGE || which == FN_STEP_CONTINUE;
    M3ValueType ret = (which == FN_EVALUATE || which == FN_ACCURACY) ? c_m3Type_f64 : c_m3Type_i32;
    if (m3_GetArgCount(f) != (takes_split ? 1u : 0u) || m3_GetRetCount(f) != 1u) return false;
    if (takes_split && m3_GetArgType(f, 0) != c_m3Type_i32) return false;
    return m3_GetRetType(f, 0) == ret;
}

/* abi_version() comes first: a module of another ABI is refused as such,
 * whatever else it exports. */
static int check_abi(runner_t *r, char *err, size_t err_cap) {
    int32_t version = 0;
    if (m3_FindFunction(&r->fn[FN_ABI_VERSION], r->runtime, fn_names[FN_ABI_VERSION]) != m3Err_none) {
        text_set(err, err_cap, "module lacks export abi_version");
        return ERR_MODULE_INVALID;
    }
    if (!signature_matches(r->fn[FN_ABI_VERSION], FN_ABI_VERSION)) {
        text_set(err, err_cap, "export has the wrong signature: abi_version");
        return ERR_MODULE_INVALID;
    }
    if (runner_call_i32(r, FN_ABI_VERSION, &version) != CALL_OK) {
        text_set(err, err_cap, "abi_version trapped: ");
        text_append(err, err_cap, r->trap_text);
        return ERR_MODULE_INVALID;
    }
    if (version != (int32_t)QIOT_ABI_VERSION) {
        text_set(err, err_cap, "module ABI version ");
        text_append_uint(err, err_cap, (uint32_t)version);
        text_append(err, err_cap, ", firmware runs ABI version ");
        text_append_uint(err, err_cap, QIOT_ABI_VERSION);
        return ERR_ABI_MISMATCH;
    }
    return ERR_NONE;
}

/* Reads the module's constants and checks that its regions lie in memory. */
static int read_layout(runner_t *r, char *err, size_t err_cap) {
    int32_t v[FN_MESSAGE_PTR + 1];
    for (int f = FN_MAX_QUBITS; f <= FN_MESSAGE_PTR; f++) {
        if (runner_call_i32(r, (enum runner_fn)f, &v[f]) != CALL_OK) {
            text_set(err, err_cap, "module trapped while reporting its layout: ");
            text_append(err, err_cap, r->trap_text);
            return ERR_MODULE_INVALID;
        }
    }
    r->max_qubits = (uint32_t)v[FN_MAX_QUBITS];
    r->max_params = (uint32_t)v[FN_MAX_PARAMS];
    r->dataset_capacity = (uint32_t)v[FN_DATASET_CAPACITY];
    r->config_ptr = (uint32_t)v[FN_CONFIG_PTR];
    r->dataset_ptr = (uint32_t)v[FN_DATASET_PTR];
    r->params_ptr = (uint32_t)v[FN_PARAMS_PTR];
    r->telemetry_ptr = (uint32_t)v[FN_TELEMETRY_PTR];
    r->message_ptr = (uint32_t)v[FN_MESSAGE_PTR];
    uint32_t mem_size = 0;
    m3_GetMemory(r->runtime, &mem_size, 0);
    bool ok = region_fits(r->config_ptr, QIOT_CONFIG_STRUCT_SIZE, mem_size) &&
              region_fits(r->dataset_ptr, r->dataset_capacity, mem_size) && r->max_params <= mem_size / 8 &&
              region_fits(r->params_ptr, r->max_params * 8u, mem_size) &&
              region_fits(r->telemetry_ptr, QIOT_TELEMETRY_RECORD_SIZE, mem_size) &&
              region_fits(r->message_ptr, MESSAGE_READ_MAX, mem_size);
    if (!ok) {
        text_set(err, err_cap, "module regions lie outside its linear memory");
        return ERR_MODULE_INVALID;
    }
    return ERR_NONE;
}

static int fail(runner_t *r, char *err, size_t err_cap, const char *what, M3Result res) {
    text_set(err, err_cap, what);
    if (res) text_append(err, err_cap, res);
    runner_unload(r);
    return ERR_MODULE_INVALID;
}

int runner_load(runner_t *r, const uint8_t *bytes, uint32_t size, char *err, size_t err_cap) {
    runner_unload(r);
    /* wasm3 does not validate: nothing unchecked reaches its parser. */
    int checked = wasm_check(bytes, size, err, err_cap);
    if (checked != ERR_NONE) return checked;
    r->bytes = bytes;
    r->size = size;
    r->aborted = false;
    r->trap_text[0] = 0;
    r->env = m3_NewEnvironment();
    if (r->env) r->runtime = m3_NewRuntime(r->env, QIOT_WASM_STACK_BYTES, NULL);
    if (!r->runtime) return fail(r, err, err_cap, "out of memory creating the wasm3 runtime", NULL);

    IM3Module module = NULL;
    M3Result res = m3_ParseModule(r->env, &module, bytes, size);
    if (res) return fail(r, err, err_cap, "parse: ", res);
    res = m3_LoadModule(r->runtime, module);
    if (res) {
        m3_FreeModule(module);
        return fail(r, err, err_cap, "load: ", res);
    }
    res = m3_LinkRawFunctionEx(module, "env", "abort", "v(iiii)", host_abort, r);
    if (res && res != m3Err_functionLookupFailed) return fail(r, err, err_cap, "link env.abort: ", res);
#if QIOT_COMPILE_AT_LOAD
    res = m3_CompileModule(module);
    if (res == m3Err_functionImportMissing)
        return fail(r, err, err_cap, "module imports a function other than env.abort: ", res);
    if (res) return fail(r, err, err_cap, "compile: ", res);
#endif
    ENTER_MODULE(QIOT_WATCHDOG_MS);
    res = m3_RunStart(module);
    LEAVE_MODULE();
    if (res) return fail(r, err, err_cap, "start function: ", res);

    int code = check_abi(r, err, err_cap);
    if (code != ERR_NONE) {
        runner_unload(r);
        return code;
    }
    uint32_t mem_size = 0;
    if (!m3_GetMemory(r->runtime, &mem_size, 0) || mem_size < QIOT_WASM_PAGE_SIZE)
        return fail(r, err, err_cap, "module has no 64 KiB linear memory", NULL);
    for (int f = FN_ABI_VERSION + 1; f < FN_COUNT; f++) {
        res = m3_FindFunction(&r->fn[f], r->runtime, fn_names[f]);
        if (!res && !signature_matches(r->fn[f], (enum runner_fn)f)) {
            text_set(err, err_cap, "export has the wrong signature: ");
            text_append(err, err_cap, fn_names[f]);
            runner_unload(r);
            return ERR_MODULE_INVALID;
        }
        if (res) {
            text_set(err, err_cap, "module lacks export ");
            text_append(err, err_cap, fn_names[f]);
            runner_unload(r);
            return ERR_MODULE_INVALID;
        }
    }
    code = read_layout(r, err, err_cap);
    if (code != ERR_NONE) runner_unload(r);
    return code;
}

int runner_reload(runner_t *r, char *err, size_t err_cap) { return runner_load(r, r->bytes, r->size, err, err_cap); }
