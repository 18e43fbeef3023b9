// Negative Learning Rate: chooses the phase of a step and writes θ_new into TRIAL.
// Equations and variants: docs/nlr.md.
import * as A from './abi.generated';
import { batchLoss } from './costs';
import { TRIAL } from './memory';
import { moveAlongGradient } from './optimizers';
import { nextUnit } from './prng';
import { nonImproving, previousLoss, recordPatience } from './run-state';
import * as S from './settings';

// L(θ − ηg) of the gated variant's trial descent (NaN for the other variants).
export let trialLoss: f64 = NaN;

function ascentScheduled(loss: f64, stepNumber: u32): bool {
  if (S.nlrMode == A.NLR_MODE_PERIODIC) return stepNumber % S.nlrPeriod == 0;
  if (S.nlrMode == A.NLR_MODE_STOCHASTIC) return nextUnit() < S.nlrProb;
  // Patience: step t is non-improving when L_t ≥ L_{t−1} (step 1 never is).
  const improving = stepNumber == 1 || loss < previousLoss;
  const count: u32 = improving ? 0 : nonImproving + 1;
  const ascend = count >= S.nlrPatience;
  recordPatience(ascend ? 0 : count, loss);
  return ascend;
}

// loss = L(θ) on the mini-batch; stepNumber is 1-based. Returns the phase.
export function nlrUpdate(loss: f64, stepNumber: u32): u32 {
  trialLoss = NaN;
  if (S.nlrMode == A.NLR_MODE_GATED) {
    moveAlongGradient(-S.lr);
    trialLoss = batchLoss(TRIAL, false);
    if (trialLoss <= loss) return A.PHASE_POSITIVE;
    moveAlongGradient(S.nlrRatio * S.lr);
    return A.PHASE_NEGATIVE;
  }
  if (ascentScheduled(loss, stepNumber)) {
    moveAlongGradient(S.nlrRatio * S.lr);
    return A.PHASE_NEGATIVE;
  }
  moveAlongGradient(-S.lr);
  return A.PHASE_POSITIVE;
}
