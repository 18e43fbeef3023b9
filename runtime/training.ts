// init(), step() and gradient(): the run lifecycle of docs/abi.md.
import * as A from './abi.generated';
import { drawGateKinds } from './circuits';
import { batchLoss } from './costs';
import { estimateGradient, gradientEvaluations } from './gradients';
import { GRAD, ORDER, PARAMS, TRIAL, f64At, setF64At } from './memory';
import { nlrUpdate, trialLoss } from './nlr';
import { baselineUpdate, resetOptimizerState } from './optimizers';
import { nextBelow, nextUnit, seedPrng } from './prng';
import * as R from './run-state';
import * as S from './settings';
import { writeTelemetry } from './telemetry';
import { validateConfig } from './validate';

// PRNG draws at init, in this order: McClean gate kinds, θ₀ (param_init = 0), batch permutation.
export function initRun(): i32 {
  R.markUninitialised();
  const code = validateConfig();
  if (code != A.ERR_OK) return code;
  S.loadSettings();
  const count = <i32>S.parameterCountFor(S.ansatz, S.layers, S.qubits);
  R.resetRun(count);
  seedPrng(S.seed);
  if (S.ansatz == A.ANSATZ_MCCLEAN) drawGateKinds(count);
  for (let j = 0; j < count; j++) {
    setF64At(PARAMS, j, S.paramInit == 0 ? nextUnit() * S.initRange : 0);
    setF64At(GRAD, j, 0);
  }
  for (let i = 0; i < S.nTrain; i++) store<i32>(ORDER + (<usize>i << 2), i);
  if (S.shuffled) {
    // Fisher–Yates: for i = n−1 … 1 swap ORDER[i] with ORDER[j], j uniform in [0, i].
    for (let i = S.nTrain - 1; i >= 1; i--) {
      const j = nextBelow(i + 1);
      const a = ORDER + (<usize>i << 2);
      const b = ORDER + (<usize>j << 2);
      const t = load<i32>(a);
      store<i32>(a, load<i32>(b));
      store<i32>(b, t);
    }
  }
  resetOptimizerState();
  return A.ERR_OK;
}

function stepEvaluations(): u64 {
  const extraTrial = S.optimizer == A.OPTIMIZER_NLR && S.nlrMode == A.NLR_MODE_GATED ? <u64>S.batchSize : 0;
  return gradientEvaluations() + extraTrial;
}

function affordable(evaluations: u64): bool {
  return S.shotsPerEval == 0 || R.shotsTotal + evaluations * S.shotsPerEval <= S.shotBudget;
}

function norm(base: usize): f64 {
  let sum: f64 = 0;
  for (let j = 0; j < R.paramCount; j++) {
    const x = f64At(base, j);
    sum += x * x;
  }
  return Math.sqrt(sum);
}

function distanceTrialToParams(): f64 {
  let sum: f64 = 0;
  for (let j = 0; j < R.paramCount; j++) {
    const d = f64At(TRIAL, j) - f64At(PARAMS, j);
    sum += d * d;
  }
  return Math.sqrt(sum);
}

function reportIdle(status: i32): i32 {
  writeTelemetry(R.stepsDone, status, A.PHASE_POSITIVE, 0, 0, R.shotsTotal, NaN, NaN, NaN, NaN);
  return status;
}

export function runStep(): i32 {
  if (!R.initialised) return reportIdle(A.STATUS_NOT_INITIALISED);
  if (!affordable(stepEvaluations())) return reportIdle(A.STATUS_BUDGET_EXHAUSTED);
  const k = R.stepsDone;
  R.resetEvaluationCount();
  const loss = batchLoss(PARAMS, true);
  estimateGradient(k);
  const gradNorm = norm(GRAD);
  let status = A.STATUS_OK;
  let phase = A.PHASE_POSITIVE;
  let trial: f64 = NaN;
  let stepNorm: f64 = NaN;
  if (!isFinite<f64>(loss) || !isFinite<f64>(gradNorm)) {
    status = A.STATUS_NUMERIC;
  } else {
    if (S.optimizer == A.OPTIMIZER_NLR) {
      phase = nlrUpdate(loss, k + 1);
      trial = trialLoss;
    } else {
      baselineUpdate(k);
    }
    stepNorm = distanceTrialToParams();
    const trialBroken = S.optimizer == A.OPTIMIZER_NLR && S.nlrMode == A.NLR_MODE_GATED && !isFinite<f64>(trial);
    if (!isFinite<f64>(stepNorm) || trialBroken) {
      status = A.STATUS_NUMERIC;
    } else {
      for (let j = 0; j < R.paramCount; j++) setF64At(PARAMS, j, f64At(TRIAL, j));
    }
  }
  const shots = <u64>R.evaluationCount * S.shotsPerEval;
  R.chargeShots(shots);
  R.finishStep((R.batchStart + S.batchSize) % S.nTrain);
  writeTelemetry(R.stepsDone, status, phase, R.evaluationCount, shots, R.shotsTotal, loss, gradNorm, stepNorm, trial);
  return status;
}

export function runGradient(): i32 {
  if (!R.initialised) return A.STATUS_NOT_INITIALISED;
  if (!affordable(gradientEvaluations())) return A.STATUS_BUDGET_EXHAUSTED;
  R.resetEvaluationCount();
  const loss = batchLoss(PARAMS, true);
  estimateGradient(R.stepsDone);
  R.chargeShots(<u64>R.evaluationCount * S.shotsPerEval);
  return isFinite<f64>(loss) && isFinite<f64>(norm(GRAD)) ? A.STATUS_OK : A.STATUS_NUMERIC;
}
