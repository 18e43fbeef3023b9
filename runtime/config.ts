// Numeric constants of the module's implementation, with their reasons. The ABI's capacities
// (MAX_QUBITS …, sizes) are in abi/qiot-abi.ts and reach the runtime through abi.generated.ts.
export {
  ABI_VERSION, CONFIG_SIZE, DATASET_CAPACITY, MAX_FEATURES, MAX_LAYERS, MAX_PARAMS, MAX_QUBITS, MAX_SAMPLES,
  MAX_SHOTS_PER_EVAL, MESSAGE_CAPACITY, TELEMETRY_SIZE,
} from './abi.generated';
import { MAX_QUBITS } from './abi.generated';

export const MAX_STATES: i32 = 1 << MAX_QUBITS;

// Parameter-shift offset: exact for gates exp(−iθσ/2).
export const SHIFT: f64 = Math.PI / 2;
// Spall's standard SPSA gain exponents.
export const SPSA_ALPHA: f64 = 0.602;
export const SPSA_GAMMA: f64 = 0.101;
// Cross-entropy clamps p₊ away from 0 and 1 so the loss stays finite.
export const XENT_CLAMP: f64 = 1e-7;
