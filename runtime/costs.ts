// Losses as functions of the measured probability p of each circuit:
// p = p(qubit 0 = 0) (local and classification costs) or p(0…0) (global).
import * as A from './abi.generated';
import { XENT_CLAMP } from './config';
import { labelOf, runCircuit } from './circuits';
import { ORDER, STATE } from './memory';
import { batchStart, paramCount } from './run-state';
import * as S from './settings';
import { measure } from './shots';
import { probabilityOf, probabilityQubit0Zero, selectState } from './statevector';

function clampedPositive(p: f64): f64 {
  return min(max(p, XENT_CLAMP), 1 - XENT_CLAMP);
}

// ℓ(p, y) of one sample.
export function lossOf(p: f64, y: f64): f64 {
  if (S.cost == A.COST_CLASS_SQ) {
    const diff = 2 * p - 1 - y;
    return diff * diff;
  }
  if (S.cost == A.COST_CLASS_XENT) {
    const q = clampedPositive(p);
    return y > 0 ? -Math.log(q) : -Math.log(1 - q);
  }
  return 1 - p;
}

// dℓ/dp; for cross-entropy the clamped p₊ is used (the clamp itself is not differentiated).
export function lossSlope(p: f64, y: f64): f64 {
  if (S.cost == A.COST_CLASS_SQ) return 4 * (2 * p - 1 - y);
  if (S.cost == A.COST_CLASS_XENT) {
    const q = clampedPositive(p);
    return y > 0 ? -1 / q : 1 / (1 - q);
  }
  return -1;
}

// Sample index of mini-batch slot b (−1: no encoding, for local/global costs).
export function sampleOfSlot(slot: i32): i32 {
  if (!S.isClassification()) return -1;
  return load<i32>(ORDER + (<usize>((batchStart + slot) % S.nTrain) << 2));
}

export function labelOfSlot(slot: i32): f64 {
  return S.isClassification() ? labelOf(sampleOfSlot(slot)) : 0;
}

// The cost's probability in STATE, measured (or exact).
export function observedProbability(exact: bool): f64 {
  const p = S.cost == A.COST_GLOBAL ? probabilityOf(0) : probabilityQubit0Zero();
  return measure(p, exact);
}

// Runs one circuit in STATE and returns its (measured or exact) probability.
export function circuitProbability(sample: i32, params: usize, exact: bool): f64 {
  selectState(STATE);
  runCircuit(sample, params, paramCount);
  return observedProbability(exact);
}
