// Numeric constants of the module's implementation, with their reasons. The ABI's capacities
// (MAX_QUBITS …, sizes) are in abi/qiot-abi.ts and reach the runtime through abi.generated.ts;
// the host build (runtime/build-flags.ts) takes the HOST_* ones.
import * as A from './abi.generated';
import { HOST_BUILD } from './build-flags';

export { ABI_VERSION, CONFIG_SIZE, MAX_SAMPLES, MAX_SHOTS_PER_EVAL, MESSAGE_CAPACITY, TELEMETRY_SIZE } from './abi.generated';

export const MAX_QUBITS: i32 = HOST_BUILD ? A.HOST_MAX_QUBITS : A.MAX_QUBITS;
export const MAX_PARAMS: i32 = HOST_BUILD ? A.HOST_MAX_PARAMS : A.MAX_PARAMS;
export const MAX_FEATURES: i32 = HOST_BUILD ? A.HOST_MAX_FEATURES : A.MAX_FEATURES;
export const MAX_LAYERS: i32 = HOST_BUILD ? A.HOST_MAX_LAYERS : A.MAX_LAYERS;
export const MAX_STATES: i32 = 1 << MAX_QUBITS;
// f32 features[MAX_SAMPLES][MAX_FEATURES] followed by f32 labels[MAX_SAMPLES].
export const DATASET_CAPACITY: i32 = HOST_BUILD ? A.MAX_SAMPLES * (MAX_FEATURES + 1) * 4 : A.DATASET_CAPACITY;

// Parameter-shift offset: exact for gates exp(−iθσ/2).
export const SHIFT: f64 = Math.PI / 2;
// Spall's standard SPSA gain exponents.
export const SPSA_ALPHA: f64 = 0.602;
export const SPSA_GAMMA: f64 = 0.101;
// Cross-entropy clamps p₊ away from 0 and 1 so the loss stays finite.
export const XENT_CLAMP: f64 = 1e-7;
