// Gradient estimators writing ∇L into GRAD, in indivisible chunks of work so a step can run
// in slices (step-slices.ts). They expect BATCH_P to hold each slot's p at θ (from the
// step's loss pass), which the chain rule needs.
import * as A from './abi.generated';
import { SHIFT, SPSA_GAMMA } from './config';
import { adjointSlot } from './adjoint';
import { applyParameterGate, applyParameterGates, prepareInput } from './circuits';
import { circuitProbability, labelOfSlot, lossAndSlope, observedProbability, sampleOfSlot, slopeOf } from './costs';
import { BATCH_P, DELTA, GRAD, PARAMS, PREFIX, STATE, TRIAL, f64At, setF64At } from './memory';
import { nextU64 } from './prng';
import { countEvaluation, paramCount } from './run-state';
import * as S from './settings';
import { copyState, selectState } from './statevector';

// Cost of one adjoint slot in evaluation units: its forward run and a backward sweep of
// about three state passes per parameter (a shifted evaluation is ≤ one pass per parameter).
export const ADJOINT_SLOT_UNITS: u32 = 4;

export let gradientComplete: bool = false;
// Cursor: batch slot, parameter (shift), and which half of the current pair is next.
let slot: i32 = 0;
let param: i32 = 0;
let secondHalf: bool = false;
let slotSlope: f64 = 0;
let plusValue: f64 = 0;
// SPSA: c_k, the running loss sum of the current half, and L(θ + cΔ).
let spsaC: f64 = 0;
let spsaSum: f64 = 0;
let spsaPlus: f64 = 0;

// p at θ with θⱼ replaced by angle: STATE ← PREFIX (the state before gate j), then gate j
// and the rest of the circuit. The same operations as a full run, in the same order.
function shiftedProbability(j: i32, angle: f64): f64 {
  copyState(PREFIX, STATE);
  selectState(STATE);
  applyParameterGate(j, angle);
  applyParameterGates(PARAMS, j + 1, paramCount);
  return observedProbability(false);
}

// c_k = spsa_c / (k + 1)^0.101 for the 0-based step index k, as exp(0.101 · ln(k + 1)).
export function spsaPerturbation(k: u32): f64 {
  return S.spsaC / Math.exp(SPSA_GAMMA * Math.log(<f64>k + 1));
}

function setTrialAlongDelta(factor: f64): void {
  for (let j = 0; j < paramCount; j++) setF64At(TRIAL, j, f64At(PARAMS, j) + factor * f64At(DELTA, j));
}

// Marks the estimate complete. Components with |gⱼ| < grad_floor are set to 0 first: in exact
// mode a parameter with no true gradient comes out as f32 rounding noise (1e−9…5e−8), which
// Adam would scale to full steps.
function finishGradient(): void {
  if (S.gradFloor > 0) {
    for (let j = 0; j < paramCount; j++) {
      if (Math.abs(f64At(GRAD, j)) < S.gradFloor) setF64At(GRAD, j, 0);
    }
  }
  gradientComplete = true;
}

function scaleGradient(scale: f64): void {
  for (let j = 0; j < paramCount; j++) setF64At(GRAD, j, f64At(GRAD, j) * scale);
  selectState(STATE);
  finishGradient();
}

// Starts the estimate for the 0-based step index k. SPSA draws Δⱼ here: +1 if the top bit
// of a PRNG draw is 0, else −1 (one draw per parameter; frozen parameters, j < train_from,
// draw too and then get Δⱼ = 0).
export function beginGradient(k: u32): void {
  slot = 0;
  param = 0;
  secondHalf = false;
  gradientComplete = false;
  for (let j = 0; j < paramCount; j++) setF64At(GRAD, j, 0);
  if (S.gradientKind == A.GRADIENT_SPSA) {
    spsaC = spsaPerturbation(k);
    for (let j = 0; j < paramCount; j++) {
      const sign = nextU64() >> 63 == 0 ? 1.0 : -1.0;
      setF64At(DELTA, j, j < S.trainFrom ? 0.0 : sign);
    }
    setTrialAlongDelta(spsaC);
    spsaSum = 0;
  }
}

// ∂L/∂θⱼ = mean_b ℓ'(p_b) · (p_b(θⱼ + π/2) − p_b(θⱼ − π/2)) / 2, slot by slot, parameter by
// parameter, + before −. One chunk = one shifted evaluation. Frozen parameters (j < train_from)
// are not shifted: their ∂ stays 0 and the prefix state just passes their gates.
function shiftChunk(): u32 {
  if (param == 0 && !secondHalf) {
    slotSlope = slopeOf(f64At(BATCH_P, slot), labelOfSlot(slot));
    selectState(PREFIX);
    prepareInput(sampleOfSlot(slot));
    for (; param < S.trainFrom; param++) applyParameterGate(param, f64At(PARAMS, param));
  }
  const theta = f64At(PARAMS, param);
  if (!secondHalf) {
    plusValue = shiftedProbability(param, theta + SHIFT);
    secondHalf = true;
    return 1;
  }
  const minus = shiftedProbability(param, theta - SHIFT);
  selectState(PREFIX);
  applyParameterGate(param, theta);
  setF64At(GRAD, param, f64At(GRAD, param) + slotSlope * (plusValue - minus) * 0.5);
  secondHalf = false;
  if (++param == paramCount) {
    param = 0;
    if (++slot == S.batchSize) scaleGradient(1 / <f64>S.batchSize);
  }
  return 1;
}

// g = (L(θ + cΔ) − L(θ − cΔ)) / (2c) · Δ; one chunk = one slot of L(θ ± cΔ).
function spsaChunk(): u32 {
  const p = circuitProbability(sampleOfSlot(slot), TRIAL, false);
  spsaSum += lossAndSlope(p, labelOfSlot(slot));
  if (++slot < S.batchSize) return 1;
  slot = 0;
  const mean = spsaSum / <f64>S.batchSize;
  spsaSum = 0;
  if (!secondHalf) {
    spsaPlus = mean;
    secondHalf = true;
    setTrialAlongDelta(-spsaC);
    return 1;
  }
  const scale = (spsaPlus - mean) / (2 * spsaC);
  for (let j = 0; j < paramCount; j++) setF64At(GRAD, j, scale * f64At(DELTA, j));
  finishGradient();
  return 1;
}

// One slot's forward run (counted as one evaluation) and backward sweep.
function adjointChunk(): u32 {
  countEvaluation();
  adjointSlot(slot, paramCount);
  if (++slot == S.batchSize) scaleGradient(1 / <f64>S.batchSize);
  return ADJOINT_SLOT_UNITS;
}

// Runs the next indivisible chunk of the run's estimator (S.gradientKind, resolved by the
// ABI's effectiveGradient); returns its cost in evaluation units.
export function advanceGradient(): u32 {
  switch (S.gradientKind) {
    case A.GRADIENT_SPSA:
      return spsaChunk();
    case A.GRADIENT_ADJOINT:
      return adjointChunk();
    default:
      return shiftChunk();
  }
}

// Circuit evaluations of one loss pass plus one gradient estimate.
export function gradientEvaluations(): u64 {
  const batch = <u64>S.batchSize;
  switch (S.gradientKind) {
    case A.GRADIENT_SPSA:
      return 3 * batch;
    case A.GRADIENT_ADJOINT:
      return 2 * batch;
    default:
      return batch * (1 + 2 * <u64>(paramCount - S.trainFrom));
  }
}
