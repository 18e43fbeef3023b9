// Negative Learning Rate: chooses the phase of a step and writes θ_new into TRIAL.
// Equations and variants: docs/nlr.md. The gated variant needs L(θ − ηg) in between:
// propose writes the trial descent into TRIAL and asks for its evaluation (the step runs it in
// slices, step-slices.ts); decide keeps it or replaces it by the ascent.
import * as A from '../abi.generated';
import * as R from '../ranges.generated';
import { nextUnit } from '../prng';
import * as S from '../settings';
import { PROPOSE_TRIAL, moveAlongGradient } from './descent';

// Patience: consecutive non-improving steps, and the previous step's loss.
let nonImproving: u32 = 0;
let previousLoss: f64 = 0;

export function validate(): i32 {
  const mode = S.configU32(A.OFF_NLR_MODE);
  if (R.invalidNlrMode(mode)) return A.ERR_NLR_MODE;
  if (R.invalidNlrRatio(S.configF64(A.OFF_NLR_RATIO))) return A.ERR_NLR_RATIO;
  if (mode == A.NLR_MODE_PERIODIC && R.invalidNlrPeriod(S.configU32(A.OFF_NLR_PERIOD))) return A.ERR_NLR_PERIOD;
  const prob = S.configF64(A.OFF_NLR_PROB);
  if (mode == A.NLR_MODE_STOCHASTIC && R.invalidNlrProb(prob)) return A.ERR_NLR_PROB;
  if (mode == A.NLR_MODE_PATIENCE && R.invalidNlrPatience(S.configU32(A.OFF_NLR_PATIENCE))) return A.ERR_NLR_PATIENCE;
  return A.ERR_OK;
}

export function reset(): void {
  nonImproving = 0;
  previousLoss = 0;
}

// The gated variant evaluates the trial descent on the mini-batch.
export function extraEvaluations(): u64 {
  return S.nlrMode == A.NLR_MODE_GATED ? <u64>S.batchSize : 0;
}

function ascentScheduled(loss: f64, stepNumber: u32): bool {
  if (S.nlrMode == A.NLR_MODE_PERIODIC) return stepNumber % S.nlrPeriod == 0;
  if (S.nlrMode == A.NLR_MODE_STOCHASTIC) return nextUnit() < S.nlrProb;
  // Patience: step t is non-improving when L_t ≥ L_{t−1} (step 1 never is).
  const improving = stepNumber == 1 || loss < previousLoss;
  const count: u32 = improving ? 0 : nonImproving + 1;
  const ascend = count >= S.nlrPatience;
  nonImproving = ascend ? 0 : count;
  previousLoss = loss;
  return ascend;
}

// loss = L(θ) on the mini-batch; stepNumber is 1-based. Returns the phase, or PROPOSE_TRIAL
// (gated): evaluate L(TRIAL), then decide.
export function propose(loss: f64, stepNumber: u32): i32 {
  if (S.nlrMode == A.NLR_MODE_GATED) {
    moveAlongGradient(-S.lr);
    return PROPOSE_TRIAL;
  }
  if (ascentScheduled(loss, stepNumber)) {
    moveAlongGradient(S.nlrRatio * S.lr);
    return <i32>A.PHASE_NEGATIVE;
  }
  moveAlongGradient(-S.lr);
  return <i32>A.PHASE_POSITIVE;
}

// Gated: keeps the trial descent when L(θ − ηg) ≤ L(θ), else ascends by ρη.
export function decide(loss: f64, trial: f64): u32 {
  if (trial <= loss) return A.PHASE_POSITIVE;
  moveAlongGradient(S.nlrRatio * S.lr);
  return A.PHASE_NEGATIVE;
}
