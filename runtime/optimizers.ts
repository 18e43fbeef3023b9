// Update rules: each writes the candidate θ_new into TRIAL from θ (PARAMS) and g (GRAD).
// Equations: docs/nlr.md.
import * as A from './abi.generated';
import { SPSA_ALPHA } from './config';
import { GRAD, MOMENT1, MOMENT2, PARAMS, TRIAL, f64At, setF64At } from './memory';
import { advanceAdamPowers, beta1Power, beta2Power, paramCount } from './run-state';
import * as S from './settings';

// θ_new = θ + factor · g  (factor = −η for descent, +ρη for an NLR ascent).
export function moveAlongGradient(factor: f64): void {
  for (let j = 0; j < paramCount; j++) {
    setF64At(TRIAL, j, f64At(PARAMS, j) + factor * f64At(GRAD, j));
  }
}

// v ← μ v + g;  θ ← θ − η v
function momentumUpdate(): void {
  for (let j = 0; j < paramCount; j++) {
    const v = S.momentum * f64At(MOMENT1, j) + f64At(GRAD, j);
    setF64At(MOMENT1, j, v);
    setF64At(TRIAL, j, f64At(PARAMS, j) - S.lr * v);
  }
}

// m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  θ ← θ − η m̂ / (√v̂ + ε)
function adamUpdate(): void {
  advanceAdamPowers(S.beta1, S.beta2);
  const correction1 = 1 - beta1Power;
  const correction2 = 1 - beta2Power;
  for (let j = 0; j < paramCount; j++) {
    const g = f64At(GRAD, j);
    const m = S.beta1 * f64At(MOMENT1, j) + (1 - S.beta1) * g;
    const v = S.beta2 * f64At(MOMENT2, j) + (1 - S.beta2) * g * g;
    setF64At(MOMENT1, j, m);
    setF64At(MOMENT2, j, v);
    setF64At(TRIAL, j, f64At(PARAMS, j) - S.lr * (m / correction1) / (Math.sqrt(v / correction2) + S.eps));
  }
}

// a_k = η / (k + 1)^0.602, the power taken as exp(0.602 · ln(k + 1)) (no table-driven pow)
export function spsaGain(k: u32): f64 {
  return S.lr / Math.exp(SPSA_ALPHA * Math.log(<f64>k + 1));
}

// Baseline optimizers (everything except NLR).
export function baselineUpdate(k: u32): void {
  if (S.optimizer == A.OPTIMIZER_MOMENTUM) momentumUpdate();
  else if (S.optimizer == A.OPTIMIZER_ADAM) adamUpdate();
  else if (S.optimizer == A.OPTIMIZER_SPSA) moveAlongGradient(-spsaGain(k));
  else moveAlongGradient(-S.lr);
}

export function resetOptimizerState(): void {
  for (let j = 0; j < paramCount; j++) {
    setF64At(MOMENT1, j, 0);
    setF64At(MOMENT2, j, 0);
  }
}
