// init() error codes and step()/gradient() status codes with their texts (docs/abi.md).
// The texts are the table of runtime/tools/error-texts.ts, which runtime.mk generates as
// ASCII data into build/runtime-gen/ (a test checks them against the max_* exports).
import { ERROR_CODE_COUNT, ERROR_TEXTS } from '../build/runtime-gen/error-texts';
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

// Writes the ASCII text of code at MESSAGE; returns its length.
export function writeErrorMessage(code: i32): i32 {
  const entry = <u32>code < <u32>ERROR_CODE_COUNT ? code : ERROR_CODE_COUNT;
  let text = ERROR_TEXTS;
  for (let i = 0; i < entry; i++) text += 1 + <usize>load<u8>(text);
  const length = <i32>load<u8>(text);
  for (let i = 0; i < length; i++) store<u8>(MESSAGE + <usize>i, load<u8>(text + 1 + <usize>i));
  return length;
}
