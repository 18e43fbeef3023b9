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

// Line k is the text of error code k (one string: one header instead of 28).
const ERROR_TEXTS = `ok
abi_version: must be 1
qubits: must be 1..10
layers: must be 1..64
params: ansatz needs more than 256 parameters (reduce layers or qubits)
ansatz: must be 0 (hea), 1 (mcclean) or 2 (rxry-cnot)
cost: must be 0 (local), 1 (global), 2 (class-sq) or 3 (class-xent)
optimizer: must be 0 (sgd), 1 (momentum), 2 (adam), 3 (spsa) or 4 (nlr)
gradient: must be 0 (parameter shift) or 1 (spsa)
lr: must be finite and > 0
momentum: must be in [0, 1)
beta1: must be in [0, 1)
beta2: must be in [0, 1)
eps: must be finite and > 0
nlr_mode: must be 0 (gated), 1 (periodic), 2 (stochastic) or 3 (patience)
nlr_ratio: must be finite and > 0
nlr_period: must be >= 2
nlr_prob: must be in (0, 1]
nlr_patience: must be >= 1
batch: must be 0 (full set) or 1..n_train
shots_per_eval: must be 0 (exact) or 1..1000000
shot_budget: must be > 0 with shots, 0 in exact mode
n_features: must be 1..qubits (max 10) for classification costs
dataset: n_train + n_test must be <= 256 samples and features finite
labels: must be +1 or -1, with n_train >= 1
spsa_c: must be finite and > 0
init_range: must be finite and > 0
param_init: must be 0 (seeded uniform) or 1 (host writes)`;
const UNKNOWN_TEXT = 'unknown error code';

// Writes the ASCII text of code at MESSAGE; returns its length.
export function writeErrorMessage(code: i32): i32 {
  let line = 0;
  let length = 0;
  for (let i = 0; i < ERROR_TEXTS.length; i++) {
    const char = ERROR_TEXTS.charCodeAt(i);
    if (char == 10) {
      if (line == code) break;
      line++;
    } else if (line == code && length < MESSAGE_CAPACITY) {
      store<u8>(MESSAGE + <usize>length, <u8>char);
      length++;
    }
  }
  if (line == code) return length;
  for (let i = 0; i < UNKNOWN_TEXT.length; i++) store<u8>(MESSAGE + <usize>i, <u8>UNKNOWN_TEXT.charCodeAt(i));
  return UNKNOWN_TEXT.length;
}
