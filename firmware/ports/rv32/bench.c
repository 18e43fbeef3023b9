/* The rv32 bench ELF: boots, runs the fixed training step (bench_config.h)
 * through the core's wasm3 runner and through the plain-C reference kernel,
 * and prints what docs/rv32.md reports as `key=value` lines on the UART:
 * instructions per step (minstret; exact under QEMU -icount shift=0), heap
 * and stack peaks, and the numbers of both implementations, which must agree.
 * Then it runs small steps along every code path (bench_probe.c) and reports
 * how deep wasm3's value stack went. Exits through QEMU's test device: 0 when
 * everything ran and agreed. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bench_config.h"
#include "bench_probe.h"
#include "bytes.h"
#include "csr.h"
#include "m3_env.h" /* M3Runtime: where the wasm value stack lives */
#include "protocol.h"
#include "qiot_abi.h"
#include "qref.h"
#include "runner.h"
#include "system.h"
#include "uart.h"

extern const uint8_t rv32_module_bytes[], rv32_module_end[];

/* Agreement of the two implementations: both keep amplitudes in f32 and apply
 * the same gates in the same order, so they differ only by rounding of
 * sin/cos (two libms) propagated through ~100 gates: far below 1e-5. */
#define AGREEMENT_TOLERANCE 1e-5

static int uart_putc(char c, FILE *file) {
    (void)file;
    rv32_uart_write((const uint8_t *)&c, 1);
    return (unsigned char)c;
}
static FILE uart_stream = FDEV_SETUP_STREAM(uart_putc, NULL, NULL, _FDEV_SETUP_WRITE);
FILE *const stdout = &uart_stream;
FILE *const stderr = &uart_stream;

static runner_t runner;
static double theta_ref[QREF_MAX_PARAMS], grad_ref[QREF_MAX_PARAMS], theta_module[QREF_MAX_PARAMS];

typedef struct {
    uint32_t status, evals;
    double loss, grad_norm, step_norm;
} module_step;

static double f64_at(const uint8_t *bytes, unsigned offset) {
    double value;
    memcpy(&value, bytes + offset, 8);
    return value;
}
static uint32_t u32_at(const uint8_t *bytes, unsigned offset) {
    uint32_t value;
    memcpy(&value, bytes + offset, 4);
    return value;
}

_Noreturn static void fail(const char *what, const char *detail) {
    printf("error=%s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    fflush(stdout);
    _exit(1);
}

/* wasm3 callocs its value stack and it grows upwards: the last non-zero byte
 * bounds the depth reached (a slot that only ever held 0 is missed, so this
 * can under-count by a slot). */
static size_t wasm3_stack_peak(void) {
    const uint8_t *stack = (const uint8_t *)runner.runtime->stack;
    size_t used = (size_t)runner.runtime->numStackSlots * sizeof(m3slot_t);
    while (used > 0 && stack[used - 1] == 0) used--;
    return used;
}

static bool close_enough(double a, double b) { return fabs(a - b) <= AGREEMENT_TOLERANCE * (1.0 + fabs(b)); }

/* init() with the bench config and the given gradient estimator. */
static void init_with_gradient(uint32_t gradient) {
    char err[QIOT_MAX_TEXT];
    uint8_t config[QIOT_CONFIG_STRUCT_SIZE];
    rv32_bench_config(config);
    put_u32(config + QIOT_CFG_GRADIENT, gradient);
    int32_t code = 0;
    if (!runner_write_memory(&runner, runner.config_ptr, config, sizeof config)) fail("config write", NULL);
    if (runner_call_i32(&runner, FN_INIT, &code) != CALL_OK) fail("init trapped", runner_trap_text(&runner));
    if (code != 0) {
        runner_error_message(&runner, code, err, sizeof err);
        fail("init refused the config", err);
    }
}

static int load_and_init(void) {
    char err[QIOT_MAX_TEXT];
    const uint32_t size = (uint32_t)(rv32_module_end - rv32_module_bytes);
    const uint64_t before = rv32_instret();
    if (runner_load(&runner, rv32_module_bytes, size, err, sizeof err) != ERR_NONE) fail("module load", err);
    printf("module_bytes=%lu load_instructions=%llu\n", (unsigned long)size,
           (unsigned long long)(rv32_instret() - before));
    init_with_gradient(QIOT_GRADIENT_PARAMETER_SHIFT);
    int32_t count = 0;
    if (runner_call_i32(&runner, FN_PARAM_COUNT, &count) != CALL_OK) fail("param_count trapped", NULL);
    return count;
}

static module_step module_step_once(uint64_t *instructions) {
    int32_t status = 0;
    const uint64_t before = rv32_instret();
    const call_result_t call = runner_call_i32(&runner, FN_STEP, &status);
    *instructions = rv32_instret() - before;
    if (call != CALL_OK) fail("step trapped", runner_trap_text(&runner));
    uint8_t record[QIOT_TELEMETRY_RECORD_SIZE];
    if (!runner_read_memory(&runner, runner.telemetry_ptr, record, sizeof record)) fail("telemetry read", NULL);
    return (module_step){u32_at(record, 4), u32_at(record, 12), f64_at(record, 32), f64_at(record, 40),
                         f64_at(record, 48)};
}

typedef qref_step_result (*reference_step)(const qref_circuit *, double *, double, double *);

/* One plain-C step from θ₀; its instruction count and whether it agrees with the module's step `m`. */
static bool reference_once(const char *name, reference_step run, const qref_circuit *circuit, int count,
                           const module_step *m) {
    static double theta[QREF_MAX_PARAMS], grad[QREF_MAX_PARAMS];
    qref_fixed_theta(theta, count);
    const uint64_t before = rv32_instret();
    const qref_step_result r = run(circuit, theta, RV32_BENCH_LR, grad);
    const uint64_t instructions = rv32_instret() - before;
    double theta_gap = 0.0;
    for (int j = 0; j < count; j++) theta_gap = fmax(theta_gap, fabs(theta_module[j] - theta[j]));
    const bool same = m->evals == r.evals && close_enough(m->loss, r.loss) && close_enough(m->grad_norm, r.grad_norm) &&
                      theta_gap <= AGREEMENT_TOLERANCE;
    printf("%s_instructions=%llu %s_grad_norm=%.17g %s_agree=%d\n", name, (unsigned long long)instructions, name,
           r.grad_norm, name, same ? 1 : 0);
    return same;
}

/* The module with gradient = adjoint (one step from θ₀) against the plain-C adjoint in f32
 * (soft-float on this core) and in Q1.30, and the plain-C shift step in Q1.30. */
static bool adjoint_steps(const qref_circuit *circuit, int count) {
    init_with_gradient(QIOT_GRADIENT_ADJOINT);
    qref_fixed_theta(theta_ref, count);
    if (!runner_write_memory(&runner, runner.params_ptr, (const uint8_t *)theta_ref, (size_t)count * 8u))
        fail("params write", NULL);
    uint64_t module_instructions;
    const module_step m = module_step_once(&module_instructions);
    if (m.status != 0) fail("adjoint step status not OK", NULL);
    if (!runner_read_memory(&runner, runner.params_ptr, (uint8_t *)theta_module, (size_t)count * 8u))
        fail("params read", NULL);
    printf("adjoint_module_instructions=%llu adjoint_evals=%lu adjoint_grad_norm=%.17g\n",
           (unsigned long long)module_instructions, (unsigned long)m.evals, m.grad_norm);
    bool agree = reference_once("adjoint_reference_f32", qref_sgd_step_adjoint, circuit, count, &m);
    agree = reference_once("adjoint_reference_q30", qref_q30_sgd_step_adjoint, circuit, count, &m) && agree;
    /* Q1.30 parameter shift from θ₀, checked against the f32 plain-C shift step. */
    static double theta_shift[QREF_MAX_PARAMS], grad_shift[QREF_MAX_PARAMS];
    qref_fixed_theta(theta_shift, count);
    const qref_step_result f32_shift = qref_sgd_step(circuit, theta_shift, RV32_BENCH_LR, grad_shift);
    const module_step shift = {0, f32_shift.evals, f32_shift.loss, f32_shift.grad_norm, f32_shift.step_norm};
    for (int j = 0; j < count; j++) theta_module[j] = theta_shift[j];
    agree = reference_once("shift_reference_q30", qref_q30_sgd_step, circuit, count, &shift) && agree;
    return agree;
}

int main(void) {
    rv32_system_init();
    rv32_stack_paint();
    printf("bench qubits=%d layers=%d\n", RV32_BENCH_QUBITS, RV32_BENCH_LAYERS);

    const int count = load_and_init();
    const qref_circuit circuit = {RV32_BENCH_QUBITS, RV32_BENCH_LAYERS};
    if (count != qref_param_count(&circuit)) fail("module and reference disagree on the parameter count", NULL);
    qref_fixed_theta(theta_ref, count);
    if (!runner_write_memory(&runner, runner.params_ptr, (const uint8_t *)theta_ref, (size_t)count * 8u))
        fail("params write", NULL);
    printf("params=%d\nheap_after_load=%lu\n", count, (unsigned long)rv32_heap_peak());

    bool agree = true;
    for (int step = 1; step <= RV32_BENCH_STEPS; step++) {
        uint64_t module_instructions;
        const module_step m = module_step_once(&module_instructions);
        if (m.status != 0) fail("step status not OK", NULL);
        const uint64_t before = rv32_instret();
        const qref_step_result r = qref_sgd_step(&circuit, theta_ref, RV32_BENCH_LR, grad_ref);
        const uint64_t reference_instructions = rv32_instret() - before;
        if (!runner_read_memory(&runner, runner.params_ptr, (uint8_t *)theta_module, (size_t)count * 8u))
            fail("params read", NULL);
        double theta_gap = 0.0;
        for (int j = 0; j < count; j++) theta_gap = fmax(theta_gap, fabs(theta_module[j] - theta_ref[j]));
        const bool same = m.evals == r.evals && close_enough(m.loss, r.loss) &&
                          close_enough(m.grad_norm, r.grad_norm) && close_enough(m.step_norm, r.step_norm) &&
                          theta_gap <= AGREEMENT_TOLERANCE;
        agree = agree && same;
        printf("step=%d module_instructions=%llu reference_instructions=%llu evals=%lu\n", step,
               (unsigned long long)module_instructions, (unsigned long long)reference_instructions,
               (unsigned long)m.evals);
        printf("step=%d module_loss=%.17g reference_loss=%.17g module_grad_norm=%.17g reference_grad_norm=%.17g "
               "theta_gap=%.3g agree=%d\n",
               step, m.loss, r.loss, m.grad_norm, r.grad_norm, theta_gap, same ? 1 : 0);
    }
    agree = adjoint_steps(&circuit, count) && agree;
    printf("heap_peak=%lu heap_capacity=%lu\n", (unsigned long)rv32_heap_peak(), (unsigned long)rv32_heap_capacity());
    printf("stack_peak=%lu stack_capacity=%lu\n", (unsigned long)rv32_stack_peak(),
           (unsigned long)rv32_stack_capacity());
    char err[QIOT_MAX_TEXT];
    const int probe_runs = rv32_probe_all_paths(&runner, err, sizeof err);
    if (probe_runs < 0) fail("all-paths probe", err);
    printf("probe_runs=%d\n", probe_runs);
    printf("wasm3_stack_peak=%lu wasm3_stack_capacity=%lu\n", (unsigned long)wasm3_stack_peak(),
           (unsigned long)QIOT_WASM_STACK_BYTES);
    printf("bench_done agree=%d\n", agree ? 1 : 0);
    fflush(stdout);
    return agree ? 0 : 1;
}
