// The validated run settings, copied from the config struct by init().
// Later writes to the config region take effect only at the next init().
import * as A from './abi.generated';
import { CONFIG } from './memory';

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
export let readout: u32 = 0;
export let reupload: bool = false;
// Parameters 0 … train_from − 1 are frozen (layerwise training).
export let trainFrom: i32 = 0;
export let perturb: f64 = 0;
export let gradFloor: f64 = 0;

export function isClassification(): bool {
  return A.isClassificationCost(cost);
}

export function parameterCountFor(ansatzKind: u32, layerCount: u32, qubitCount: u32): u32 {
  return A.parametersPerQubitLayer(ansatzKind) * layerCount * qubitCount;
}

// Copies a config that validateConfig() accepted.
export function loadSettings(): void {
  qubits = <i32>configU32(A.OFF_QUBITS);
  layers = <i32>configU32(A.OFF_LAYERS);
  ansatz = configU32(A.OFF_ANSATZ);
  cost = configU32(A.OFF_COST);
  optimizer = configU32(A.OFF_OPTIMIZER);
  gradientKind = A.effectiveGradient(optimizer, configU32(A.OFF_GRADIENT));
  nlrMode = configU32(A.OFF_NLR_MODE);
  nlrPeriod = configU32(A.OFF_NLR_PERIOD);
  nlrPatience = configU32(A.OFF_NLR_PATIENCE);
  shotsPerEval = <u64>configU32(A.OFF_SHOTS_PER_EVAL);
  shotBudget = configU64(A.OFF_SHOT_BUDGET);
  seed = configU64(A.OFF_SEED);
  lr = configF64(A.OFF_LR);
  momentum = configF64(A.OFF_MOMENTUM);
  beta1 = configF64(A.OFF_BETA1);
  beta2 = configF64(A.OFF_BETA2);
  eps = configF64(A.OFF_EPS);
  nlrRatio = configF64(A.OFF_NLR_RATIO);
  nlrProb = configF64(A.OFF_NLR_PROB);
  spsaC = configF64(A.OFF_SPSA_C);
  initRange = configF64(A.OFF_INIT_RANGE);
  paramInit = configU32(A.OFF_PARAM_INIT);
  readout = configU32(A.OFF_READOUT);
  reupload = configU32(A.OFF_REUPLOAD) != 0;
  trainFrom = <i32>configU32(A.OFF_TRAIN_FROM);
  perturb = configF64(A.OFF_PERTURB);
  gradFloor = configF64(A.OFF_GRAD_FLOOR);
  if (isClassification()) {
    nTrain = <i32>configU32(A.OFF_N_TRAIN);
    nTest = <i32>configU32(A.OFF_N_TEST);
    nFeatures = <i32>configU32(A.OFF_N_FEATURES);
    const requested = <i32>configU32(A.OFF_BATCH);
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
