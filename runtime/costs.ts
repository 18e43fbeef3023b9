// The cost of the run: the observable p of each circuit (p(qubit 0 = 0), or p(0…0) for global)
// and its loss ℓ(p, y) with the slope dℓ/dp, one switch over S.cost. Which costs use the
// dataset is the ABI's rule (isClassificationCost, from abi/qiot-abi.ts).
import * as A from './abi.generated';
import { XENT_CLAMP } from './config';
import { labelOf, runCircuit } from './circuits';
import { ORDER, STATE } from './memory';
import { batchStart, paramCount } from './run-state';
import * as S from './settings';
import { measureMeanZero, readoutBits } from './readout';
import { measure } from './shots';
import { probabilityOf, probabilityQubit0Zero, selectState } from './statevector';

// Cross-entropy keeps p₊ inside [c, 1 − c]: c = 1/(2s) with s shots per estimate (half the
// smallest non-zero estimate, so an all-one-sided sample costs ln 2s, not ln 10⁷), else 1e−7.
function clampedPositive(p: f64): f64 {
  const c = S.shotsPerEval > 0 ? 0.5 / <f64>(S.shotsPerEval * readoutBits()) : XENT_CLAMP;
  return min(max(p, c), 1 - c);
}

// dℓ/dp of the last lossAndSlope() call.
export let slope: f64 = 0;

// ℓ(p, y) of one sample; leaves dℓ/dp in `slope`. For cross-entropy the slope uses the
// clamped p₊ (the clamp itself is not differentiated).
export function lossAndSlope(p: f64, y: f64): f64 {
  switch (S.cost) {
    case A.COST_CLASS_SQ: {
      const diff = 2 * p - 1 - y;
      slope = 4 * diff;
      return diff * diff;
    }
    case A.COST_CLASS_XENT: {
      const q = clampedPositive(p);
      slope = y > 0 ? -1 / q : 1 / (1 - q);
      return y > 0 ? -Math.log(q) : -Math.log(1 - q);
    }
    default: // local, global
      slope = -1;
      return 1 - p;
  }
}

// dℓ/dp of one sample.
export function slopeOf(p: f64, y: f64): f64 {
  lossAndSlope(p, y);
  return slope;
}

// Sample index of mini-batch slot b (−1: no encoding, for local/global costs).
export function sampleOfSlot(slot: i32): i32 {
  if (!S.isClassification()) return -1;
  return load<i32>(ORDER + ((<usize>((batchStart + slot) % S.nTrain)) << 2));
}

export function labelOfSlot(slot: i32): f64 {
  return S.isClassification() ? labelOf(sampleOfSlot(slot)) : 0;
}

// The cost's probability in STATE, measured (or exact): p(0…0) for the global cost; for
// classification with the mean-z readout the mean over qubits of p(qᵢ = 0) = (1 + mean ⟨Zᵢ⟩)/2;
// else p(q₀ = 0).
export function observedProbability(exact: bool): f64 {
  if (S.cost == A.COST_GLOBAL) return measure(probabilityOf(0), exact);
  if (readoutBits() > 1) return measureMeanZero(exact);
  return measure(probabilityQubit0Zero(), exact);
}

// Runs one circuit in STATE and returns its (measured or exact) probability.
export function circuitProbability(sample: i32, params: usize, exact: bool): f64 {
  selectState(STATE);
  runCircuit(sample, params, paramCount);
  return observedProbability(exact);
}
