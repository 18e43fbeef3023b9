// The validated run settings, copied from the config struct by init().
// Later writes to the config region take effect only at the next init().
import { CONFIG } from './memory';

export const ANSATZ_HEA: u32 = 0;
export const ANSATZ_MCCLEAN: u32 = 1;
export const ANSATZ_RXRY_CNOT: u32 = 2;

export const COST_LOCAL: u32 = 0;
export const COST_GLOBAL: u32 = 1;
export const COST_CLASS_SQ: u32 = 2;
export const COST_CLASS_XENT: u32 = 3;

export const OPT_SGD: u32 = 0;
export const OPT_MOMENTUM: u32 = 1;
export const OPT_ADAM: u32 = 2;
export const OPT_SPSA: u32 = 3;
export const OPT_NLR: u32 = 4;

export const GRADIENT_SHIFT: u32 = 0;
export const GRADIENT_SPSA: u32 = 1;

export const NLR_GATED: u32 = 0;
export const NLR_PERIODIC: u32 = 1;
export const NLR_STOCHASTIC: u32 = 2;
export const NLR_PATIENCE: u32 = 3;

// Byte offsets of the config struct (docs/abi.md).
export const OFF_ABI_VERSION = 0;
export const OFF_QUBITS = 4;
export const OFF_LAYERS = 8;
export const OFF_ANSATZ = 12;
export const OFF_COST = 16;
export const OFF_OPTIMIZER = 20;
export const OFF_GRADIENT = 24;
export const OFF_NLR_MODE = 28;
export const OFF_NLR_PERIOD = 32;
export const OFF_NLR_PATIENCE = 36;
export const OFF_BATCH = 40;
export const OFF_SHOTS_PER_EVAL = 44;
export const OFF_N_TRAIN = 48;
export const OFF_N_TEST = 52;
export const OFF_SHOT_BUDGET = 56;
export const OFF_SEED = 64;
export const OFF_LR = 72;
export const OFF_MOMENTUM = 80;
export const OFF_BETA1 = 88;
export const OFF_BETA2 = 96;
export const OFF_EPS = 104;
export const OFF_NLR_RATIO = 112;
export const OFF_NLR_PROB = 120;
export const OFF_SPSA_C = 128;
export const OFF_INIT_RANGE = 136;
export const OFF_N_FEATURES = 144;
export const OFF_PARAM_INIT = 148;

@inline export function configU32(offset: i32): u32 {
  return load<u32>(CONFIG + <usize>offset);
}

@inline export function configU64(offset: i32): u64 {
  return load<u64>(CONFIG + <usize>offset);
}

@inline export function configF64(offset: i32): f64 {
  return load<f64>(CONFIG + <usize>offset);
}

export let qubits: i32 = 0;
export let layers: i32 = 0;
export let ansatz: u32 = 0;
export let cost: u32 = 0;
export let optimizer: u32 = 0;
export let gradientKind: u32 = 0;
export let nlrMode: u32 = 0;
export let nlrPeriod: u32 = 0;
export let nlrPatience: u32 = 0;
export let batchSize: i32 = 0;
// false for batch = 0: the whole training set in index order, no permutation.
export let shuffled: bool = false;
export let shotsPerEval: u64 = 0;
export let nTrain: i32 = 0;
export let nTest: i32 = 0;
export let shotBudget: u64 = 0;
export let seed: u64 = 0;
export let lr: f64 = 0;
export let momentum: f64 = 0;
export let beta1: f64 = 0;
export let beta2: f64 = 0;
export let eps: f64 = 0;
export let nlrRatio: f64 = 0;
export let nlrProb: f64 = 0;
export let spsaC: f64 = 0;
export let initRange: f64 = 0;
export let nFeatures: i32 = 0;
export let paramInit: u32 = 0;

export function isClassification(): bool {
  return cost == COST_CLASS_SQ || cost == COST_CLASS_XENT;
}

export function parameterCountFor(ansatzKind: u32, layerCount: u32, qubitCount: u32): u32 {
  return ansatzKind == ANSATZ_MCCLEAN ? layerCount * qubitCount : 2 * layerCount * qubitCount;
}

// Copies a config that validateConfig() accepted.
export function loadSettings(): void {
  qubits = <i32>configU32(OFF_QUBITS);
  layers = <i32>configU32(OFF_LAYERS);
  ansatz = configU32(OFF_ANSATZ);
  cost = configU32(OFF_COST);
  optimizer = configU32(OFF_OPTIMIZER);
  gradientKind = optimizer == OPT_SPSA ? GRADIENT_SPSA : configU32(OFF_GRADIENT);
  nlrMode = configU32(OFF_NLR_MODE);
  nlrPeriod = configU32(OFF_NLR_PERIOD);
  nlrPatience = configU32(OFF_NLR_PATIENCE);
  shotsPerEval = <u64>configU32(OFF_SHOTS_PER_EVAL);
  shotBudget = configU64(OFF_SHOT_BUDGET);
  seed = configU64(OFF_SEED);
  lr = configF64(OFF_LR);
  momentum = configF64(OFF_MOMENTUM);
  beta1 = configF64(OFF_BETA1);
  beta2 = configF64(OFF_BETA2);
  eps = configF64(OFF_EPS);
  nlrRatio = configF64(OFF_NLR_RATIO);
  nlrProb = configF64(OFF_NLR_PROB);
  spsaC = configF64(OFF_SPSA_C);
  initRange = configF64(OFF_INIT_RANGE);
  paramInit = configU32(OFF_PARAM_INIT);
  if (isClassification()) {
    nTrain = <i32>configU32(OFF_N_TRAIN);
    nTest = <i32>configU32(OFF_N_TEST);
    nFeatures = <i32>configU32(OFF_N_FEATURES);
    const requested = <i32>configU32(OFF_BATCH);
    batchSize = requested == 0 ? nTrain : requested;
    shuffled = requested != 0;
  } else {
    // Local and global costs evaluate the bare ansatz on |0…0⟩: one "sample".
    nTrain = 1;
    nTest = 0;
    nFeatures = 0;
    batchSize = 1;
    shuffled = false;
  }
}
