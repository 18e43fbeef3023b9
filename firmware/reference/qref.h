/* Plain-C reference kernel: the same f32 (qref.c) or Q1.30 (qref_q30.c) statevector, hardware-efficient
 * ansatz, local cost and parameter-shift SGD step as the qiot module
 * (docs/abi.md), written directly in C with the module's algorithm (one-pass
 * CZ ladder; parameter shift resumes from the state before each gate). It is
 * the yardstick for the wasm3 interpreter's overhead (docs/rv32.md) and a
 * second implementation to check the module's numbers against.
 * Dependency-free beyond libm; no allocation. */
#ifndef QIOT_REFERENCE_QREF_H
#define QIOT_REFERENCE_QREF_H

#include <stdint.h>

/* Same capacities as the module (docs/abi.md: max_qubits, max_params). */
#define QREF_MAX_QUBITS 10
#define QREF_MAX_PARAMS 256

typedef struct {
    int qubits; /* 1 … QREF_MAX_QUBITS */
    int layers; /* ≥ 1, with 2·layers·qubits ≤ QREF_MAX_PARAMS */
} qref_circuit;

/* The telemetry fields a step produces (docs/abi.md telemetry record). */
typedef struct {
    double loss;      /* cost at θ before the update */
    double grad_norm; /* ‖g‖₂ */
    double step_norm; /* ‖θ_new − θ_old‖₂ */
    uint32_t evals;   /* circuit evaluations */
} qref_step_result;

/* 2·layers·qubits, or −1 when the circuit exceeds the capacities. */
int qref_param_count(const qref_circuit *circuit);

/* Local cost C = 1 − p(qubit 0 = 0) of the hea ansatz on |0…0⟩ (exact). */
double qref_local_cost(const qref_circuit *circuit, const double *theta);

/* One SGD step with the exact parameter-shift gradient: θ ← θ − lr·g.
 * `grad` receives g (param_count values). */
qref_step_result qref_sgd_step(const qref_circuit *circuit, double *theta, double lr, double *grad);

/* The same step with the adjoint gradient (exact), as the module's gradient = adjoint:
 * the loss pass, a second forward run, then one backward sweep in the two state buffers. */
qref_step_result qref_sgd_step_adjoint(const qref_circuit *circuit, double *theta, double lr, double *grad);

/* The same two steps with Q1.30 fixed-point amplitudes (int32, products in int64, rounded
 * (x + 2^29) >> 30), as the module's device build (qref_q30.c). */
qref_step_result qref_q30_sgd_step(const qref_circuit *circuit, double *theta, double lr, double *grad);
qref_step_result qref_q30_sgd_step_adjoint(const qref_circuit *circuit, double *theta, double lr, double *grad);

/* θ ← θ − lr·g, with ‖g‖ and ‖Δθ‖ filled into `result` (shared by every step above). */
qref_step_result qref_sgd_update(double *theta, int count, double lr, const double *grad, qref_step_result result);

/* The deterministic parameters both the reference and the module are given
 * for comparisons: θ_j = 0.1 + 0.37·j, folded into [0, 2π). */
void qref_fixed_theta(double *theta, int count);

#endif
