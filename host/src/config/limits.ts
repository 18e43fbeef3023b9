// Every limit the host checks before a run, with the reason for it. The module's
// capacities come from the ABI description (abi/qiot-abi.ts, reasons there); the module
// checks them again, these exist so a person sees a message naming the JSON field first.
import {
  HOST_MAX_FEATURES,
  HOST_MAX_LAYERS,
  HOST_MAX_PARAMS,
  HOST_MAX_QUBITS,
  MAX_FEATURES,
  MAX_LAYERS,
  MAX_PARAMS,
  MAX_QUBITS,
  MAX_SAMPLES,
  MAX_SHOTS_PER_EVAL,
} from '../wasm/abi.ts';

export const LIMITS = {
  maxQubits: MAX_QUBITS,
  maxLayers: MAX_LAYERS,
  maxParams: MAX_PARAMS,
  maxSamples: MAX_SAMPLES,
  maxFeatures: MAX_FEATURES,
  maxShotsPerEval: MAX_SHOTS_PER_EVAL,
  /** JSON numbers are exact integers only up to 2^53 − 1; u64 fields (seed, shot budget) are limited to that. */
  maxJsonInteger: Number.MAX_SAFE_INTEGER,
  /** A run longer than this is almost certainly a typo; also keeps run logs below a few hundred MB. */
  maxSteps: 1_000_000,
  /** Iris has 50 samples per class, so a two-class subset has at most 100. */
  irisSamplesPerClass: 50,
  /** Iris measures 4 features per flower. */
  irisFeatures: 4,
  /** A test split needs at least this many training samples left to train on. */
  minTrainSamples: 1,
} as const;

export type Limits = { readonly [K in keyof typeof LIMITS]: number };

/** The host build's capacities (build/qiot-host.wasm, `--module host`; abi/qiot-abi.ts HOST_BUILD_CAPACITIES). */
export const HOST_BUILD_LIMITS: Limits = {
  ...LIMITS,
  maxQubits: HOST_MAX_QUBITS,
  maxLayers: HOST_MAX_LAYERS,
  maxParams: HOST_MAX_PARAMS,
  maxFeatures: HOST_MAX_FEATURES,
};

/** The limits of a module build by name (device and device-f32 share the device capacities). */
export const limitsOfBuild = (build: 'device' | 'device-f32' | 'host'): Limits => (build === 'host' ? HOST_BUILD_LIMITS : LIMITS);
