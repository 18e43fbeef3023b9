// Every compile-time capacity and numeric limit of the module, with its reason.
// The host reads the capacities through the max_* exports (docs/abi.md).

export const ABI_VERSION: u32 = 1;

// 2^10 complex f32 amplitudes = 8 KiB: the statevector must share one 64 KiB page
// with the dataset and optimizer state (wasm3 cannot use less than one page).
export const MAX_QUBITS: i32 = 10;
export const MAX_STATES: i32 = 1 << MAX_QUBITS;
// One f64 per parameter in six buffers (θ, gradient, trial, SPSA Δ, two moments): 12 KiB.
export const MAX_PARAMS: i32 = 256;
// Samples for training + test; the dataset region is sized from it (11 KiB).
export const MAX_SAMPLES: i32 = 256;
// Angle encoding puts one feature on each qubit.
export const MAX_FEATURES: i32 = MAX_QUBITS;
// Circuit depth bound; with P ≤ MAX_PARAMS the parameter limit bites first for wide circuits.
export const MAX_LAYERS: u32 = 64;
// Each shot is one PRNG draw: bounds a single evaluation's time on a microcontroller.
export const MAX_SHOTS_PER_EVAL: u32 = 1000000;

export const CONFIG_SIZE: i32 = 160;
export const TELEMETRY_SIZE: i32 = 64;
// Longest error text is below this (ASCII).
export const MESSAGE_CAPACITY: i32 = 128;
// f32 features[N][F] followed by f32 labels[N].
export const DATASET_CAPACITY: i32 = MAX_SAMPLES * (MAX_FEATURES + 1) * 4;

// Parameter-shift offset: exact for gates exp(−iθσ/2).
export const SHIFT: f64 = Math.PI / 2;
// Spall's standard SPSA gain exponents.
export const SPSA_ALPHA: f64 = 0.602;
export const SPSA_GAMMA: f64 = 0.101;
// Cross-entropy clamps p₊ away from 0 and 1 so the loss stays finite.
export const XENT_CLAMP: f64 = 1e-7;
