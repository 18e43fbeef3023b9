// The validated run settings, copied from the config struct by init().
// Later writes to the config region take effect only at the next init().
import * as A from './abi.generated';
import { CONFIG } from './memory';
import { copyFields, cost, optimizer } from './settings.generated';

@inline export function configU32(offset: i32): u32 {
  return load<u32>(CONFIG + <usize>offset);
}

@inline export function configU64(offset: i32): u64 {
  return load<u64>(CONFIG + <usize>offset);
}

@inline export function configF64(offset: i32): f64 {
  return load<f64>(CONFIG + <usize>offset);
}

// The fields init() copies as they are (qubits, layers, ansatz, cost, optimizer, lr, …): generated
// from the description; the ones below are derived here.
export * from './settings.generated';

export let gradientKind: u32 = 0;
export let batchSize: i32 = 0;
// false for batch = 0: the whole training set in index order, no permutation.
export let shuffled: bool = false;
export let nTrain: i32 = 0;
export let nTest: i32 = 0;
export let nFeatures: i32 = 0;
export let reupload: bool = false;

export function isClassification(): bool {
  return A.isClassificationCost(cost);
}

export function parameterCountFor(ansatzKind: u32, layerCount: u32, qubitCount: u32): u32 {
  return A.parametersPerQubitLayer(ansatzKind) * layerCount * qubitCount;
}

// Copies a config that validateConfig() accepted.
export function loadSettings(): void {
  copyFields();
  gradientKind = A.effectiveGradient(optimizer, configU32(A.OFF_GRADIENT));
  reupload = configU32(A.OFF_REUPLOAD) != 0;
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
