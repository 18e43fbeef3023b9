// Static regions of the single linear-memory page. Nothing is allocated after start.
import {
  CONFIG_SIZE, DATASET_CAPACITY, MAX_PARAMS, MAX_SAMPLES, MAX_STATES, MESSAGE_CAPACITY, TELEMETRY_SIZE,
} from './config';

export const CONFIG: usize = memory.data(CONFIG_SIZE, 16);
export const TELEMETRY: usize = memory.data(TELEMETRY_SIZE, 16);
export const MESSAGE: usize = memory.data(MESSAGE_CAPACITY, 16);
// Interleaved (re, im) f32 pairs.
export const STATE: usize = memory.data(MAX_STATES * 8, 16);
// The state before parameter j's gate, advanced gate by gate during parameter shift.
export const PREFIX: usize = memory.data(MAX_STATES * 8, 16);
export const PARAMS: usize = memory.data(MAX_PARAMS * 8, 16);
export const GRAD: usize = memory.data(MAX_PARAMS * 8, 16);
// Candidate θ of an update, or θ ± cΔ during SPSA.
export const TRIAL: usize = memory.data(MAX_PARAMS * 8, 16);
// SPSA perturbation signs (±1 as f64).
export const DELTA: usize = memory.data(MAX_PARAMS * 8, 16);
// Momentum velocity or Adam first moment.
export const MOMENT1: usize = memory.data(MAX_PARAMS * 8, 16);
// Adam second moment.
export const MOMENT2: usize = memory.data(MAX_PARAMS * 8, 16);
// McClean gate kind per parameter (0 RX, 1 RY, 2 RZ).
export const GATE_KIND: usize = memory.data(MAX_PARAMS, 16);
// Seeded permutation of the training indices (u32 each).
export const ORDER: usize = memory.data(MAX_SAMPLES * 4, 16);
// Measured probability per batch slot at θ (for the chain rule).
export const BATCH_P: usize = memory.data(MAX_SAMPLES * 8, 16);
export const DATASET: usize = memory.data(DATASET_CAPACITY, 16);

@inline export function f64At(base: usize, i: i32): f64 {
  return load<f64>(base + (<usize>i << 3));
}

@inline export function setF64At(base: usize, i: i32, value: f64): void {
  store<f64>(base + (<usize>i << 3), value);
}
