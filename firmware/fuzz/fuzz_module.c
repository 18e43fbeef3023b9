/* libFuzzer harness: module bytes as UPLOAD_COMMIT validates them: the
 * module check (core/wasm_check.c), then, for what it accepts, wasm3's parse,
 * load, link of env.abort and compile of every function. The module's code
 * is not run (start, abi_version): a module that loops forever is the
 * watchdog's business, not a memory-safety finding. FUZZ_STATS=1 prints how
 * many inputs reached wasm3 at exit. */
#include <stdio.h>
#include <stdlib.h>

#include "protocol.h"
#include "qiot_config.h"
#include "wasm3.h"
#include "wasm_check.h"

static unsigned long long inputs, checked_ok, compiled_ok;

static m3ApiRawFunction(host_abort) {
    (void)_ctx;
    (void)_mem;
    (void)_sp;
    (void)runtime;
    m3ApiTrap(m3Err_trapAbort);
}

static void print_stats(void) {
    fprintf(stderr, "fuzz_module: %llu inputs, %llu passed the check, %llu compiled by wasm3\n", inputs, checked_ok,
            compiled_ok);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    if (getenv("FUZZ_STATS")) atexit(print_stats);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    inputs++;
    char err[QIOT_MAX_TEXT];
    if (size > QIOT_SLOT_SIZE || wasm_check(data, (uint32_t)size, err, sizeof err) != ERR_NONE) return 0;
    checked_ok++;
    IM3Environment env = m3_NewEnvironment();
    IM3Runtime runtime = env ? m3_NewRuntime(env, QIOT_WASM_STACK_BYTES, NULL) : NULL;
    IM3Module module = NULL;
    M3Result res = runtime ? m3_ParseModule(env, &module, data, (uint32_t)size) : "no memory";
    if (!res) {
        res = m3_LoadModule(runtime, module);
        if (res) m3_FreeModule(module);
    }
    if (!res) {
        m3_LinkRawFunction(module, "env", "abort", "v(iiii)", host_abort);
        res = m3_CompileModule(module);
        compiled_ok += res == NULL;
    }
    if (runtime) m3_FreeRuntime(runtime);
    if (env) m3_FreeEnvironment(env);
    return 0;
}
