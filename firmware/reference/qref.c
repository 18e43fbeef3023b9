#include "qref.h"

#include <math.h>

static const double PI = 3.141592653589793;

typedef struct {
  float re, im;
} amplitude;

static amplitude state[1 << QREF_MAX_QUBITS];
static int dimension;

static void state_reset(int qubits) {
  dimension = 1 << qubits;
  for (int i = 0; i < dimension; i++) state[i] = (amplitude){0.0f, 0.0f};
  state[0].re = 1.0f;
}

/* R_σ(θ) = exp(−iθσ/2); angles in f64, amplitudes in f32, like the module. */
static void apply_ry(int qubit, double theta) {
  const float c = (float)cos(theta * 0.5), s = (float)sin(theta * 0.5);
  const int stride = 1 << qubit;
  for (int base = 0; base < dimension; base += stride << 1) {
    for (int i = base; i < base + stride; i++) {
      amplitude a = state[i], b = state[i + stride];
      state[i] = (amplitude){c * a.re - s * b.re, c * a.im - s * b.im};
      state[i + stride] = (amplitude){s * a.re + c * b.re, s * a.im + c * b.im};
    }
  }
}

static void apply_rz(int qubit, double theta) {
  const float c = (float)cos(theta * 0.5), s = (float)sin(theta * 0.5);
  const int mask = 1 << qubit;
  for (int i = 0; i < dimension; i++) {
    const float sign = (i & mask) ? 1.0f : -1.0f;
    amplitude a = state[i];
    state[i] = (amplitude){c * a.re - sign * s * a.im, c * a.im + sign * s * a.re};
  }
}

static void apply_cz(int q0, int q1) {
  const int mask = (1 << q0) | (1 << q1);
  for (int i = 0; i < dimension; i++) {
    if ((i & mask) == mask) state[i] = (amplitude){-state[i].re, -state[i].im};
  }
}

/* hea: per layer RY(θ) then RZ(θ) on each qubit, then the CZ ladder. */
static void run_hea(const qref_circuit *circuit, const double *theta) {
  state_reset(circuit->qubits);
  int p = 0;
  for (int layer = 0; layer < circuit->layers; layer++) {
    for (int q = 0; q < circuit->qubits; q++) {
      apply_ry(q, theta[p++]);
      apply_rz(q, theta[p++]);
    }
    for (int q = 0; q + 1 < circuit->qubits; q++) apply_cz(q, q + 1);
  }
}

static double probability_qubit0_zero(void) {
  double sum = 0.0;
  for (int i = 0; i < dimension; i += 2) {
    const double re = state[i].re, im = state[i].im;
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
  run_hea(circuit, theta);
  return 1.0 - probability_qubit0_zero();
}

qref_step_result qref_sgd_step(const qref_circuit *circuit, double *theta, double lr, double *grad) {
  const int count = qref_param_count(circuit);
  const double shift = PI / 2.0;
  qref_step_result result = {0};
  result.loss = qref_local_cost(circuit, theta);
  result.evals = 1;
  double grad_sq = 0.0;
  for (int j = 0; j < count; j++) {
    const double original = theta[j];
    theta[j] = original + shift;
    const double plus = qref_local_cost(circuit, theta);
    theta[j] = original - shift;
    const double minus = qref_local_cost(circuit, theta);
    theta[j] = original;
    grad[j] = (plus - minus) / 2.0;
    grad_sq += grad[j] * grad[j];
    result.evals += 2;
  }
  double step_sq = 0.0;
  for (int j = 0; j < count; j++) {
    const double updated = theta[j] - lr * grad[j];
    step_sq += (updated - theta[j]) * (updated - theta[j]);
    theta[j] = updated;
  }
  result.grad_norm = sqrt(grad_sq);
  result.step_norm = sqrt(step_sq);
  return result;
}

void qref_fixed_theta(double *theta, int count) {
  for (int j = 0; j < count; j++) theta[j] = fmod(0.1 + 0.37 * j, 2.0 * PI);
}
