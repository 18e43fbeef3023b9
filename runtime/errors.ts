// init() error codes and step()/gradient() status codes with their texts (docs/abi.md).
// The texts quote the limits of config.ts; a test checks them against the max_* exports.
import { MESSAGE_CAPACITY } from './config';
import { MESSAGE } from './memory';

export const STATUS_OK: i32 = 0;
export const STATUS_NOT_INITIALISED: i32 = 1;
export const STATUS_BUDGET_EXHAUSTED: i32 = 2;
export const STATUS_NUMERIC: i32 = 3;

export const ERR_OK: i32 = 0;
export const ERR_ABI_VERSION: i32 = 1;
export const ERR_QUBITS: i32 = 2;
export const ERR_LAYERS: i32 = 3;
export const ERR_PARAMS: i32 = 4;
export const ERR_ANSATZ: i32 = 5;
export const ERR_COST: i32 = 6;
export const ERR_OPTIMIZER: i32 = 7;
export const ERR_GRADIENT: i32 = 8;
export const ERR_LR: i32 = 9;
export const ERR_MOMENTUM: i32 = 10;
export const ERR_BETA1: i32 = 11;
export const ERR_BETA2: i32 = 12;
export const ERR_EPS: i32 = 13;
export const ERR_NLR_MODE: i32 = 14;
export const ERR_NLR_RATIO: i32 = 15;
export const ERR_NLR_PERIOD: i32 = 16;
export const ERR_NLR_PROB: i32 = 17;
export const ERR_NLR_PATIENCE: i32 = 18;
export const ERR_BATCH: i32 = 19;
export const ERR_SHOTS_PER_EVAL: i32 = 20;
export const ERR_SHOT_BUDGET: i32 = 21;
export const ERR_N_FEATURES: i32 = 22;
export const ERR_DATASET: i32 = 23;
export const ERR_LABELS: i32 = 24;
export const ERR_SPSA_C: i32 = 25;
export const ERR_INIT_RANGE: i32 = 26;
export const ERR_PARAM_INIT: i32 = 27;

function errorText(code: i32): string {
  switch (code) {
    case ERR_OK: return 'ok';
    case ERR_ABI_VERSION: return 'abi_version: must be 1';
    case ERR_QUBITS: return 'qubits: must be 1..10';
    case ERR_LAYERS: return 'layers: must be 1..64';
    case ERR_PARAMS: return 'params: ansatz needs more than 256 parameters (reduce layers or qubits)';
    case ERR_ANSATZ: return 'ansatz: must be 0 (hea), 1 (mcclean) or 2 (rxry-cnot)';
    case ERR_COST: return 'cost: must be 0 (local), 1 (global), 2 (class-sq) or 3 (class-xent)';
    case ERR_OPTIMIZER: return 'optimizer: must be 0 (sgd), 1 (momentum), 2 (adam), 3 (spsa) or 4 (nlr)';
    case ERR_GRADIENT: return 'gradient: must be 0 (parameter shift) or 1 (spsa)';
    case ERR_LR: return 'lr: must be finite and > 0';
    case ERR_MOMENTUM: return 'momentum: must be in [0, 1)';
    case ERR_BETA1: return 'beta1: must be in [0, 1)';
    case ERR_BETA2: return 'beta2: must be in [0, 1)';
    case ERR_EPS: return 'eps: must be finite and > 0';
    case ERR_NLR_MODE: return 'nlr_mode: must be 0 (gated), 1 (periodic), 2 (stochastic) or 3 (patience)';
    case ERR_NLR_RATIO: return 'nlr_ratio: must be finite and > 0';
    case ERR_NLR_PERIOD: return 'nlr_period: must be >= 2';
    case ERR_NLR_PROB: return 'nlr_prob: must be in (0, 1]';
    case ERR_NLR_PATIENCE: return 'nlr_patience: must be >= 1';
    case ERR_BATCH: return 'batch: must be 0 (full set) or 1..n_train';
    case ERR_SHOTS_PER_EVAL: return 'shots_per_eval: must be 0 (exact) or 1..1000000';
    case ERR_SHOT_BUDGET: return 'shot_budget: must be > 0 with shots, 0 in exact mode';
    case ERR_N_FEATURES: return 'n_features: must be 1..qubits (max 10) for classification costs';
    case ERR_DATASET: return 'dataset: n_train + n_test must be <= 256 samples and features finite';
    case ERR_LABELS: return 'labels: must be +1 or -1, with n_train >= 1';
    case ERR_SPSA_C: return 'spsa_c: must be finite and > 0';
    case ERR_INIT_RANGE: return 'init_range: must be finite and > 0';
    case ERR_PARAM_INIT: return 'param_init: must be 0 (seeded uniform) or 1 (host writes)';
    default: return 'unknown error code';
  }
}

// Writes the ASCII text of code at MESSAGE; returns its length.
export function writeErrorMessage(code: i32): i32 {
  const text = errorText(code);
  const length = min(text.length, MESSAGE_CAPACITY);
  for (let i = 0; i < length; i++) store<u8>(MESSAGE + <usize>i, <u8>text.charCodeAt(i));
  return length;
}
