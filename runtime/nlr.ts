// Negative Learning Rate: chooses the phase of a step and writes θ_new into TRIAL.
// Equations and variants: docs/nlr.md. The gated variant needs L(θ − ηg) in between:
// nlrPropose writes the trial descent into TRIAL, the step evaluates it (step-slices.ts)
// and nlrDecide keeps it or replaces it by the ascent.
import * as A from './abi.generated';
import { moveAlongGradient } from './optimizers';
import { nextUnit } from './prng';
import { nonImproving, previousLoss, recordPatience } from './run-state';
import * as S from './settings';

// L(θ − ηg) of the gated variant's trial descent (NaN for the other variants).
export let trialLoss: f64 = NaN;
// The phase chosen by the last nlrPropose (non-gated) or nlrDecide (gated).
export let nlrPhase: u32 = A.PHASE_POSITIVE;

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

// loss = L(θ) on the mini-batch; stepNumber is 1-based. Returns true when the caller must
// evaluate L(TRIAL) and call nlrDecide (gated); otherwise TRIAL and nlrPhase are final.
export function nlrPropose(loss: f64, stepNumber: u32): bool {
  trialLoss = NaN;
  nlrPhase = A.PHASE_POSITIVE;
  if (S.nlrMode == A.NLR_MODE_GATED) {
    moveAlongGradient(-S.lr);
    return true;
  }
  if (ascentScheduled(loss, stepNumber)) {
    moveAlongGradient(S.nlrRatio * S.lr);
    nlrPhase = A.PHASE_NEGATIVE;
  } else {
    moveAlongGradient(-S.lr);
  }
  return false;
}

// Gated: keeps the trial descent when L(θ − ηg) ≤ L(θ), else ascends by ρη.
export function nlrDecide(loss: f64, trial: f64): void {
  trialLoss = trial;
  if (trial <= loss) return;
  moveAlongGradient(S.nlrRatio * S.lr);
  nlrPhase = A.PHASE_NEGATIVE;
}

