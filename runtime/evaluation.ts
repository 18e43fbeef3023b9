// evaluate() and accuracy(): exact, uncharged, over a whole split; they use no PRNG draws.
import { circuitProbability, lossAndSlope } from './costs';
import { labelOf } from './circuits';
import { PARAMS } from './memory';
import { initialised } from './run-state';
import * as S from './settings';

const SPLIT_TRAIN = 0;
const SPLIT_TEST = 1;

function splitFirst(split: i32): i32 {
  return split == SPLIT_TRAIN ? 0 : S.nTrain;
}

function splitCount(split: i32): i32 {
  if (split == SPLIT_TRAIN) return S.nTrain;
  if (split == SPLIT_TEST) return S.nTest;
  return 0;
}

export function evaluateSplit(split: i32): f64 {
  if (!initialised) return NaN;
  // Local and global costs have no data: both splits are the bare circuit's cost.
  if (!S.isClassification()) {
    return split == SPLIT_TRAIN || split == SPLIT_TEST ? lossAndSlope(circuitProbability(-1, PARAMS, true), 0) : NaN;
  }
  const count = splitCount(split);
  if (count == 0) return NaN;
  const first = splitFirst(split);
  let sum: f64 = 0;
  for (let i = first; i < first + count; i++) sum += lossAndSlope(circuitProbability(i, PARAMS, true), labelOf(i));
  return sum / <f64>count;
}

// The exact model output 2p − 1 (⟨Z₀⟩, or mean ⟨Zᵢ⟩ with the mean-z readout) of sample i
// (training samples first, then test samples); NaN outside the dataset or for local/global costs.
export function outputOf(sample: i32): f64 {
  if (!initialised || !S.isClassification() || sample < 0 || sample >= S.nTrain + S.nTest) return NaN;
  return 2 * circuitProbability(sample, PARAMS, true) - 1;
}

// sign(⟨Z₀⟩) = y with ⟨Z₀⟩ = 2p − 1 and ⟨Z₀⟩ = 0 counted as −1.
export function accuracyOfSplit(split: i32): f64 {
  if (!initialised || !S.isClassification()) return NaN;
  const count = splitCount(split);
  if (count == 0) return NaN;
  const first = splitFirst(split);
  let correct = 0;
  for (let i = first; i < first + count; i++) {
    const z = 2 * circuitProbability(i, PARAMS, true) - 1;
    const predicted: f64 = z > 0 ? 1 : -1;
    if (predicted == labelOf(i)) correct++;
  }
  return <f64>correct / <f64>count;
}
