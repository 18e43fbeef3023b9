// init(), step(), step_begin()/step_continue() and gradient(): the run lifecycle of docs/abi.md.
import * as A from './abi.generated';
import { drawGateKinds } from './circuits';
import { gradientEvaluations } from './gradients';
import { GRAD, ORDER, PARAMS, setF64At } from './memory';
import * as optimizer from './optimizer';
import { drawInitialParams } from './initial-params';
import { nextBelow, seedPrng } from './prng';
import * as R from './run-state';
import * as S from './settings';
import { CONTINUE_DONE, beginSlices, cancelStep, continueSlices, lastStatus } from './step-slices';
import { writeTelemetry } from './telemetry';
import { validateConfig } from './validate';

// PRNG draws at init, in this order: McClean gate kinds, θ₀ (param_init = 0), batch permutation.
export function initRun(): i32 {
  R.markUninitialised();
  cancelStep();
  const code = validateConfig();
  if (code != A.ERR_OK) return code;
  S.loadSettings();
  const count = <i32>S.parameterCountFor(S.ansatz, S.layers, S.qubits);
  R.resetRun(count);
  seedPrng(S.seed);
  if (S.ansatz == A.ANSATZ_MCCLEAN) drawGateKinds(count);
  drawInitialParams(count);
  for (let j = 0; j < count; j++) setF64At(GRAD, j, 0);
  for (let i = 0; i < S.nTrain; i++) store<i32>(ORDER + ((<usize>i) << 2), i);
  if (S.shuffled) {
    // Fisher–Yates: for i = n−1 … 1 swap ORDER[i] with ORDER[j], j uniform in [0, i].
    for (let i = S.nTrain - 1; i >= 1; i--) {
      const j = nextBelow(i + 1);
      const a = ORDER + ((<usize>i) << 2);
      const b = ORDER + ((<usize>j) << 2);
      const t = load<i32>(a);
      store<i32>(a, load<i32>(b));
      store<i32>(b, t);
    }
  }
  optimizer.reset();
  return A.ERR_OK;
}

function stepEvaluations(): u64 {
  return gradientEvaluations() + optimizer.extraEvaluations();
}

function affordable(evaluations: u64): bool {
  return S.shotsPerEval == 0 || R.shotsTotal + evaluations * S.shotsPerEval <= S.shotBudget;
}

function reportIdle(status: i32): i32 {
  writeTelemetry(R.stepsDone, status, A.PHASE_POSITIVE, 0, 0, R.shotsTotal, NaN, NaN, NaN, NaN);
  return status;
}

// Starts a step (abandoning an unfinished one). STATUS_OK: step_continue() runs it;
// otherwise nothing runs and the idle record is written, as by step().
export function beginStep(): i32 {
  cancelStep();
  if (!R.initialised) return reportIdle(A.STATUS_NOT_INITIALISED);
  if (!affordable(stepEvaluations())) return reportIdle(A.STATUS_BUDGET_EXHAUSTED);
  beginSlices(true);
  return A.STATUS_OK;
}

// 1: more work remains; 0: the step finished and wrote its record; −1: no step in progress.
export function continueStep(budget: u32): i32 {
  return continueSlices(budget);
}

export function runStep(): i32 {
  const status = beginStep();
  if (status != A.STATUS_OK) return status;
  continueSlices(u32.MAX_VALUE);
  return lastStatus();
}

// gradient() abandons an unfinished step: it reuses the step's buffers.
export function runGradient(): i32 {
  cancelStep();
  if (!R.initialised) return A.STATUS_NOT_INITIALISED;
  if (!affordable(gradientEvaluations())) return A.STATUS_BUDGET_EXHAUSTED;
  beginSlices(false);
  const result = continueSlices(u32.MAX_VALUE);
  return result == CONTINUE_DONE ? lastStatus() : A.STATUS_NUMERIC;
}
