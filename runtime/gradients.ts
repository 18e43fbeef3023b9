// Gradient estimators writing ∇L into GRAD. Both expect BATCH_P to hold each slot's p at θ
// (from batchLoss(PARAMS, true)), which the parameter-shift chain rule needs.
import * as A from './abi.generated';
import { SHIFT, SPSA_GAMMA } from './config';
import { applyParameterGate, applyParameterGates, prepareInput } from './circuits';
import { batchLoss, labelOfSlot, lossSlope, observedProbability, sampleOfSlot } from './costs';
import { BATCH_P, DELTA, GRAD, PARAMS, PREFIX, STATE, TRIAL, f64At, setF64At } from './memory';
import { nextU64 } from './prng';
import { paramCount } from './run-state';
import * as S from './settings';
import { copyState, selectState } from './statevector';

// p at θ with θⱼ replaced by angle: STATE ← PREFIX (the state before gate j), then gate j
// and the rest of the circuit. The same f32 operations as a full run, in the same order.
function shiftedProbability(j: i32, angle: f64): f64 {
  copyState(PREFIX, STATE);
  selectState(STATE);
  applyParameterGate(j, angle);
  applyParameterGates(PARAMS, j + 1, paramCount);
  return observedProbability(false);
}

// ∂L/∂θⱼ = mean_b ℓ'(p_b) · (p_b(θⱼ + π/2) − p_b(θⱼ − π/2)) / 2,
// evaluated slot by slot, parameter by parameter, + before −.
export function parameterShiftGradient(): void {
  const count = paramCount;
  for (let j = 0; j < count; j++) setF64At(GRAD, j, 0);
  for (let b = 0; b < S.batchSize; b++) {
    const slope = lossSlope(f64At(BATCH_P, b), labelOfSlot(b));
    selectState(PREFIX);
    prepareInput(sampleOfSlot(b));
    for (let j = 0; j < count; j++) {
      const theta = f64At(PARAMS, j);
      const plus = shiftedProbability(j, theta + SHIFT);
      const minus = shiftedProbability(j, theta - SHIFT);
      selectState(PREFIX);
      applyParameterGate(j, theta);
      setF64At(GRAD, j, f64At(GRAD, j) + slope * (plus - minus) * 0.5);
    }
  }
  selectState(STATE);
  const scale = 1 / <f64>S.batchSize;
  for (let j = 0; j < count; j++) setF64At(GRAD, j, f64At(GRAD, j) * scale);
}

// c_k = spsa_c / (k + 1)^0.101 for the 0-based step index k, as exp(0.101 · ln(k + 1)).
export function spsaPerturbation(k: u32): f64 {
  return S.spsaC / Math.exp(SPSA_GAMMA * Math.log(<f64>k + 1));
}

// Δⱼ = +1 if the top bit of a PRNG draw is 0, else −1 (one draw per parameter);
// g = (L(θ + cΔ) − L(θ − cΔ)) / (2c) · Δ.
export function spsaGradient(k: u32): void {
  const count = paramCount;
  const c = spsaPerturbation(k);
  for (let j = 0; j < count; j++) setF64At(DELTA, j, (nextU64() >> 63) == 0 ? 1.0 : -1.0);
  for (let j = 0; j < count; j++) setF64At(TRIAL, j, f64At(PARAMS, j) + c * f64At(DELTA, j));
  const plus = batchLoss(TRIAL, false);
  for (let j = 0; j < count; j++) setF64At(TRIAL, j, f64At(PARAMS, j) - c * f64At(DELTA, j));
  const minus = batchLoss(TRIAL, false);
  const scale = (plus - minus) / (2 * c);
  for (let j = 0; j < count; j++) setF64At(GRAD, j, scale * f64At(DELTA, j));
}

export function estimateGradient(k: u32): void {
  if (S.gradientKind == A.GRADIENT_SPSA) spsaGradient(k);
  else parameterShiftGradient();
}

// Circuit evaluations of one loss pass plus one gradient estimate.
export function gradientEvaluations(): u64 {
  const batch = <u64>S.batchSize;
  if (S.gradientKind == A.GRADIENT_SPSA) return 3 * batch;
  return batch * (1 + 2 * <u64>paramCount);
}
