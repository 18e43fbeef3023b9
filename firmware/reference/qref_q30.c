/* The plain-C reference kernel in the module's device number format: Q1.30
 * fixed-point amplitudes (x as int32 round(x·2^30)), products in int64 rounded
 * back with (sum + 2^29) >> 30, probabilities and overlaps summed exactly in
 * int64 (docs/abi.md "Builds and number formats"). The same hea circuit, local
 * cost and step algorithms as qref.c; only the number format differs. */
#include <math.h>

#include "qref.h"

typedef struct {
    int32_t re, im;
} q30;

static const double ONE = 1073741824.0; /* 2^30 */
static const double PI = 3.141592653589793;

static q30 state[1 << QREF_MAX_QUBITS], prefix[1 << QREF_MAX_QUBITS];
static q30 *selected = state;
static int dimension;

static int32_t round_q30(int64_t sum) { return (int32_t)((sum + ((int64_t)1 << 29)) >> 30); }
static int64_t to_q30(double x) { return (int64_t)nearbyint(x * ONE); }

static void state_reset(int qubits) {
    dimension = 1 << qubits;
    for (int i = 0; i < dimension; i++) selected[i] = (q30){0, 0};
    selected[0].re = 1 << 30;
}

static void apply_ry(int qubit, double theta) {
    const int64_t c = to_q30(cos(theta * 0.5)), s = to_q30(sin(theta * 0.5));
    const int stride = 1 << qubit;
    for (int base = 0; base < dimension; base += stride << 1) {
        for (int i = base; i < base + stride; i++) {
            const int64_t ar = selected[i].re, ai = selected[i].im, br = selected[i + stride].re,
                          bi = selected[i + stride].im;
            selected[i] = (q30){round_q30(c * ar - s * br), round_q30(c * ai - s * bi)};
            selected[i + stride] = (q30){round_q30(s * ar + c * br), round_q30(s * ai + c * bi)};
        }
    }
}

static void apply_rz(int qubit, double theta) {
    const int64_t c = to_q30(cos(theta * 0.5)), s = to_q30(sin(theta * 0.5));
    const int stride = 1 << qubit;
    for (int base = 0; base < dimension; base += stride << 1) {
        for (int i = base; i < base + stride; i++) {
            const int64_t ar = selected[i].re, ai = selected[i].im, br = selected[i + stride].re,
                          bi = selected[i + stride].im;
            selected[i] = (q30){round_q30(c * ar + s * ai), round_q30(c * ai - s * ar)};
            selected[i + stride] = (q30){round_q30(c * br - s * bi), round_q30(c * bi + s * br)};
        }
    }
}

static void apply_cz_ladder(void) {
    for (int i = 0; i < dimension; i++) {
        if (__builtin_popcount((unsigned)(i & (i >> 1))) & 1) selected[i] = (q30){-selected[i].re, -selected[i].im};
    }
}

static void apply_gate(int qubit, int ry, double theta) {
    if (ry) apply_ry(qubit, theta);
    else apply_rz(qubit, theta);
}

static void apply_parameter_gate(const qref_circuit *circuit, int j, double theta) {
    const int per_layer = 2 * circuit->qubits, in_layer = j % per_layer;
    apply_gate(in_layer / 2, in_layer % 2 == 0, theta);
    if (in_layer == per_layer - 1) apply_cz_ladder();
}

static double probability_qubit0_zero(void) {
    int64_t sum = 0;
    for (int i = 0; i < dimension; i += 2) {
        const int64_t re = selected[i].re, im = selected[i].im;
        sum += re * re + im * im;
    }
    return (double)sum / (ONE * ONE);
}

static double local_cost(const qref_circuit *circuit, const double *theta, int count) {
    selected = state;
    state_reset(circuit->qubits);
    for (int j = 0; j < count; j++) apply_parameter_gate(circuit, j, theta[j]);
    return 1.0 - probability_qubit0_zero();
}

static double shifted_cost(const qref_circuit *circuit, const double *theta, int count, int j, double angle) {
    for (int i = 0; i < dimension; i++) state[i] = prefix[i];
    selected = state;
    apply_parameter_gate(circuit, j, angle);
    for (int k = j + 1; k < count; k++) apply_parameter_gate(circuit, k, theta[k]);
    return 1.0 - probability_qubit0_zero();
}

qref_step_result qref_q30_sgd_step(const qref_circuit *circuit, double *theta, double lr, double *grad) {
    const int count = qref_param_count(circuit);
    qref_step_result result = {0};
    result.loss = local_cost(circuit, theta, count);
    result.evals = 1;
    selected = prefix;
    state_reset(circuit->qubits);
    for (int j = 0; j < count; j++) {
        const double plus = shifted_cost(circuit, theta, count, j, theta[j] + PI / 2.0);
        const double minus = shifted_cost(circuit, theta, count, j, theta[j] - PI / 2.0);
        selected = prefix;
        apply_parameter_gate(circuit, j, theta[j]);
        grad[j] = (plus - minus) / 2.0;
        result.evals += 2;
    }
    selected = state;
    return qref_sgd_update(theta, count, lr, grad, result);
}

/* Im⟨λ|σ|φ⟩ (σ = Y or Z on qubit), λ in prefix, φ in state, exact in int64. */
static double pauli_overlap(int qubit, int ry) {
    const int stride = 1 << qubit;
    int64_t sum = 0;
    for (int base = 0; base < dimension; base += stride << 1) {
        for (int i = base; i < base + stride; i++) {
            const int64_t lar = prefix[i].re, lai = prefix[i].im, lbr = prefix[i + stride].re,
                          lbi = prefix[i + stride].im;
            const int64_t par = state[i].re, pai = state[i].im, pbr = state[i + stride].re, pbi = state[i + stride].im;
            if (ry) sum += lbr * par + lbi * pai - lar * pbr - lai * pbi;
            else sum += lar * pai - lai * par - lbr * pbi + lbi * pbr;
        }
    }
    return (double)sum / (ONE * ONE);
}

qref_step_result qref_q30_sgd_step_adjoint(const qref_circuit *circuit, double *theta, double lr, double *grad) {
    const int count = qref_param_count(circuit);
    const int per_layer = 2 * circuit->qubits;
    qref_step_result result = {0};
    result.loss = local_cost(circuit, theta, count); /* also the sweep's φ, as in the module (batch of one) */
    result.evals = 2;
    for (int i = 0; i < dimension; i++) prefix[i] = (i & 1) ? (q30){0, 0} : state[i];
    for (int j = count - 1; j >= 0; j--) {
        const int in_layer = j % per_layer, qubit = in_layer / 2, ry = in_layer % 2 == 0;
        if (in_layer == per_layer - 1) {
            selected = state;
            apply_cz_ladder();
            selected = prefix;
            apply_cz_ladder();
        }
        grad[j] = -pauli_overlap(qubit, ry);
        if (j > 0) {
            selected = state;
            apply_gate(qubit, ry, -theta[j]);
            selected = prefix;
            apply_gate(qubit, ry, -theta[j]);
        }
    }
    selected = state;
    return qref_sgd_update(theta, count, lr, grad, result);
}
