#include "qref.h"

#include <math.h>

static const double PI = 3.141592653589793;

typedef struct {
    float re, im;
} amplitude;

/* The state the gates act on (`selected`): `state`, or `prefix`, which holds
 * the state before parameter j during a parameter-shift sweep. */
static amplitude state[1 << QREF_MAX_QUBITS], prefix[1 << QREF_MAX_QUBITS];
static amplitude *selected = state;
static int dimension;

static void state_reset(int qubits) {
    dimension = 1 << qubits;
    for (int i = 0; i < dimension; i++) selected[i] = (amplitude){0.0f, 0.0f};
    selected[0].re = 1.0f;
}

/* R_σ(θ) = exp(−iθσ/2); angles in f64, amplitudes in f32, like the module. */
static void apply_ry(int qubit, double theta) {
    const float c = (float)cos(theta * 0.5), s = (float)sin(theta * 0.5);
    const int stride = 1 << qubit;
    for (int base = 0; base < dimension; base += stride << 1) {
        for (int i = base; i < base + stride; i++) {
            amplitude a = selected[i], b = selected[i + stride];
            selected[i] = (amplitude){c * a.re - s * b.re, c * a.im - s * b.im};
            selected[i + stride] = (amplitude){s * a.re + c * b.re, s * a.im + c * b.im};
        }
    }
}

/* diag(e^{−iθ/2}, e^{iθ/2}) = diag(c − is, c + is) on each pair of amplitudes. */
static void apply_rz(int qubit, double theta) {
    const float c = (float)cos(theta * 0.5), s = (float)sin(theta * 0.5);
    const int stride = 1 << qubit;
    for (int base = 0; base < dimension; base += stride << 1) {
        for (int i = base; i < base + stride; i++) {
            amplitude a = selected[i], b = selected[i + stride];
            selected[i] = (amplitude){c * a.re + s * a.im, c * a.im - s * a.re};
            selected[i + stride] = (amplitude){c * b.re - s * b.im, c * b.im + s * b.re};
        }
    }
}

/* CZ(0,1) … CZ(n−2,n−1) in one pass: amplitude i changes sign once per
 * adjacent pair of set bits, i.e. when popcount(i & i>>1) is odd. */
static void apply_cz_ladder(void) {
    for (int i = 0; i < dimension; i++) {
        if (__builtin_popcount((unsigned)(i & (i >> 1))) & 1)
            selected[i] = (amplitude){-selected[i].re, -selected[i].im};
    }
}

/* hea parameter j: RY (even j) or RZ (odd j) on qubit (j mod 2n)/2, then the
 * CZ ladder after the layer's last parameter. */
static void apply_parameter_gate(const qref_circuit *circuit, int j, double theta) {
    const int per_layer = 2 * circuit->qubits;
    const int in_layer = j % per_layer;
    if (in_layer % 2 == 0) apply_ry(in_layer / 2, theta);
    else apply_rz(in_layer / 2, theta);
    if (in_layer == per_layer - 1) apply_cz_ladder();
}

static double probability_qubit0_zero(void) {
    double sum = 0.0;
    for (int i = 0; i < dimension; i += 2) {
        const double re = selected[i].re, im = selected[i].im;
        sum += re * re + im * im;
    }
    return sum;
}

int qref_param_count(const qref_circuit *circuit) {
    if (circuit->qubits < 1 || circuit->qubits > QREF_MAX_QUBITS || circuit->layers < 1) return -1;
    const int count = 2 * circuit->layers * circuit->qubits;
    return count <= QREF_MAX_PARAMS ? count : -1;
}

double qref_local_cost(const qref_circuit *circuit, const double *theta) {
    selected = state;
    state_reset(circuit->qubits);
    const int count = qref_param_count(circuit);
    for (int j = 0; j < count; j++) apply_parameter_gate(circuit, j, theta[j]);
    return 1.0 - probability_qubit0_zero();
}

/* Cost with θ_j replaced by `angle`: the state before gate j is in `prefix`,
 * so only gate j and the gates after it run. */
static double shifted_cost(const qref_circuit *circuit, const double *theta, int count, int j, double angle) {
    for (int i = 0; i < dimension; i++) state[i] = prefix[i];
    selected = state;
    apply_parameter_gate(circuit, j, angle);
    for (int k = j + 1; k < count; k++) apply_parameter_gate(circuit, k, theta[k]);
    return 1.0 - probability_qubit0_zero();
}

qref_step_result qref_sgd_step(const qref_circuit *circuit, double *theta, double lr, double *grad) {
    const int count = qref_param_count(circuit);
    const double shift = PI / 2.0;
    qref_step_result result = {0};
    result.loss = qref_local_cost(circuit, theta);
    result.evals = 1;
    selected = prefix;
    state_reset(circuit->qubits);
    for (int j = 0; j < count; j++) {
        const double plus = shifted_cost(circuit, theta, count, j, theta[j] + shift);
        const double minus = shifted_cost(circuit, theta, count, j, theta[j] - shift);
        selected = prefix;
        apply_parameter_gate(circuit, j, theta[j]);
        grad[j] = (plus - minus) / 2.0;
        result.evals += 2;
    }
    selected = state;
    return qref_sgd_update(theta, count, lr, grad, result);
}

qref_step_result qref_sgd_update(double *theta, int count, double lr, const double *grad, qref_step_result result) {
    double grad_sq = 0.0, step_sq = 0.0;
    for (int j = 0; j < count; j++) {
        const double updated = theta[j] - lr * grad[j];
        grad_sq += grad[j] * grad[j];
        step_sq += (updated - theta[j]) * (updated - theta[j]);
        theta[j] = updated;
    }
    result.grad_norm = sqrt(grad_sq);
    result.step_norm = sqrt(step_sq);
    return result;
}

/* Im⟨λ|σ|φ⟩ for σ = Y (ry) or Z on `qubit`, λ in `prefix`, φ in `state`,
 * summed in double like the module's f32 build. */
static double pauli_overlap(int qubit, int ry) {
    const int stride = 1 << qubit;
    double sum = 0.0;
    for (int base = 0; base < dimension; base += stride << 1) {
        for (int i = base; i < base + stride; i++) {
            const double lar = prefix[i].re, lai = prefix[i].im, lbr = prefix[i + stride].re,
                         lbi = prefix[i + stride].im;
            const double par = state[i].re, pai = state[i].im, pbr = state[i + stride].re, pbi = state[i + stride].im;
            if (ry) sum += lbr * par + lbi * pai - lar * pbr - lai * pbi;
            else sum += lar * pai - lai * par - lbr * pbi + lbi * pbr;
        }
    }
    return sum;
}

qref_step_result qref_sgd_step_adjoint(const qref_circuit *circuit, double *theta, double lr, double *grad) {
    const int count = qref_param_count(circuit);
    const int per_layer = 2 * circuit->qubits;
    qref_step_result result = {0};
    /* One forward pass for the loss and the sweep, as the module with a batch of
     * one (runtime/adjoint.ts markForwardInState); evals counts 2 as its
     * telemetry does. */
    result.loss = qref_local_cost(circuit, theta);
    result.evals = 2;
    for (int i = 0; i < dimension; i++) prefix[i] = (i & 1) ? (amplitude){0.0f, 0.0f} : state[i];
    for (int j = count - 1; j >= 0; j--) {
        const int in_layer = j % per_layer, qubit = in_layer / 2, ry = in_layer % 2 == 0;
        if (in_layer == per_layer - 1) {
            selected = state;
            apply_cz_ladder();
            selected = prefix;
            apply_cz_ladder();
        }
        grad[j] = -pauli_overlap(qubit, ry); /* local cost: dℓ/dp = −1 */
        if (j > 0) {
            selected = state;
            if (ry) apply_ry(qubit, -theta[j]);
            else apply_rz(qubit, -theta[j]);
            selected = prefix;
            if (ry) apply_ry(qubit, -theta[j]);
            else apply_rz(qubit, -theta[j]);
        }
    }
    selected = state;
    return qref_sgd_update(theta, count, lr, grad, result);
}

void qref_fixed_theta(double *theta, int count) {
    for (int j = 0; j < count; j++) theta[j] = fmod(0.1 + 0.37 * j, 2.0 * PI);
}
