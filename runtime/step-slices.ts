// One training step (or gradient() pass) as a resumable sequence of chunks, so a host can
// run it in slices with an evaluation budget per call and stay responsive (docs/abi.md
// "Stepping in slices"). step() is step_begin() + step_continue(unbounded): the same chunks
// in the same order, so sliced and unsliced steps are bit-identical.
//   loss pass (1 unit per batch slot) → gradient (gradients.ts) → gated-NLR trial
//   (1 unit per slot) → finish (update θ, charge shots, write telemetry; no unit)
import * as A from './abi.generated';
import { markForwardInState } from './adjoint';
import { circuitProbability, labelOfSlot, lossAndSlope, sampleOfSlot } from './costs';
import { advanceGradient, beginGradient, gradientComplete } from './gradients';
import { BATCH_P, GRAD, PARAMS, TRIAL, f64At, setF64At } from './memory';
import * as optimizer from './optimizer';
import * as R from './run-state';
import * as S from './settings';
import { writeTelemetry } from './telemetry';
import { addPerturbation } from './optimizers/perturb';

const STAGE_IDLE = 0;
const STAGE_LOSS = 1;
const STAGE_GRADIENT = 2;
const STAGE_TRIAL = 3;
const STAGE_FINISH = 4;

export const CONTINUE_DONE: i32 = 0;
export const CONTINUE_MORE: i32 = 1;
export const CONTINUE_IDLE: i32 = -1;

let stage = STAGE_IDLE;
// false: a gradient() pass, which stops after the gradient.
let fullStep: bool = true;
let slot: i32 = 0;
let sum: f64 = 0;
let loss: f64 = NaN;
let gradNorm: f64 = NaN;
let status: i32 = A.STATUS_OK;
let phase: u32 = A.PHASE_POSITIVE;
// L(TRIAL) when the optimizer asked for it (gated NLR), else NaN.
let trial: f64 = NaN;
let trialEvaluated: bool = false;

export function stepInProgress(): bool {
  return stage != STAGE_IDLE && fullStep;
}

// Abandons any unfinished step (init() and a new step or gradient() call this).
export function cancelStep(): void {
  stage = STAGE_IDLE;
}

function norm(base: usize): f64 {
  let total: f64 = 0;
  for (let j = 0; j < R.paramCount; j++) {
    const x = f64At(base, j);
    total += x * x;
  }
  return Math.sqrt(total);
}

function distanceTrialToParams(): f64 {
  let total: f64 = 0;
  for (let j = 0; j < R.paramCount; j++) {
    const d = f64At(TRIAL, j) - f64At(PARAMS, j);
    total += d * d;
  }
  return Math.sqrt(total);
}

// Starts a step (full) or a gradient() pass; the caller has checked init and the budget.
export function beginSlices(full: bool): void {
  fullStep = full;
  stage = STAGE_LOSS;
  slot = 0;
  sum = 0;
  loss = NaN;
  gradNorm = NaN;
  status = A.STATUS_OK;
  phase = A.PHASE_POSITIVE;
  trial = NaN;
  trialEvaluated = false;
  R.resetEvaluationCount();
}

// After the gradient: choose the update (or stop, for gradient() and non-finite values).
function afterGradient(): void {
  gradNorm = norm(GRAD);
  if (!isFinite<f64>(loss) || !isFinite<f64>(gradNorm)) status = A.STATUS_NUMERIC;
  if (!fullStep) {
    R.chargeShots(<u64>R.evaluationCount * S.shotsPerEval);
    stage = STAGE_IDLE;
    return;
  }
  stage = STAGE_FINISH;
  if (status != A.STATUS_OK) return;
  const proposal = optimizer.propose(loss, R.stepsDone);
  if (proposal == optimizer.PROPOSE_TRIAL) {
    stage = STAGE_TRIAL;
    slot = 0;
    sum = 0;
  } else {
    phase = <u32>proposal;
  }
}

function finish(): void {
  let stepNorm: f64 = NaN;
  if (status == A.STATUS_OK) {
    addPerturbation();
    stepNorm = distanceTrialToParams();
    if (!isFinite<f64>(stepNorm) || (trialEvaluated && !isFinite<f64>(trial))) {
      status = A.STATUS_NUMERIC;
    } else {
      for (let j = 0; j < R.paramCount; j++) setF64At(PARAMS, j, f64At(TRIAL, j));
    }
  }
  const shots = <u64>R.evaluationCount * S.shotsPerEval;
  R.chargeShots(shots);
  R.finishStep((R.batchStart + S.batchSize) % S.nTrain);
  writeTelemetry(R.stepsDone, status, phase, R.evaluationCount, shots, R.shotsTotal, loss, gradNorm, stepNorm, trial);
  stage = STAGE_IDLE;
}

// One indivisible chunk; returns its cost in evaluation units.
function advance(): u32 {
  if (stage == STAGE_LOSS) {
    const p = circuitProbability(sampleOfSlot(slot), PARAMS, false);
    setF64At(BATCH_P, slot, p);
    markForwardInState(S.batchSize == 1);
    sum += lossAndSlope(p, labelOfSlot(slot));
    if (++slot == S.batchSize) {
      loss = sum / <f64>S.batchSize;
      beginGradient(R.stepsDone);
      stage = STAGE_GRADIENT;
    }
    return 1;
  }
  if (stage == STAGE_GRADIENT) {
    const cost = advanceGradient();
    if (gradientComplete) afterGradient();
    return cost;
  }
  if (stage == STAGE_TRIAL) {
    const p = circuitProbability(sampleOfSlot(slot), TRIAL, false);
    sum += lossAndSlope(p, labelOfSlot(slot));
    if (++slot == S.batchSize) {
      trial = sum / <f64>S.batchSize;
      trialEvaluated = true;
      phase = optimizer.decide(loss, trial);
      stage = STAGE_FINISH;
    }
    return 1;
  }
  finish();
  return 0;
}

// Runs chunks until at least budget units are done or the pass ends (a chunk is never split:
// the largest is one adjoint slot, ADJOINT_SLOT_UNITS). The finish stage costs no unit and
// always runs once the last evaluation is done.
export function continueSlices(budget: u32): i32 {
  markForwardInState(false);
  if (stage == STAGE_IDLE) return CONTINUE_IDLE;
  let used: u32 = 0;
  while (stage != STAGE_IDLE && (used < budget || stage == STAGE_FINISH)) used += advance();
  return stage == STAGE_IDLE ? CONTINUE_DONE : CONTINUE_MORE;
}

// Status of the last completed pass (the telemetry record's status for a step).
export function lastStatus(): i32 {
  return status;
}
