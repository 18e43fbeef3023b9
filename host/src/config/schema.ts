// The JSON run config: field names, defaults and per-field rules. The keys that set a
// config-struct field come from the ABI description (abi-fields.generated.ts); the dataset and
// run-length keys are here. Rules that relate several fields live in cross-rules.ts.
import { z } from 'zod';
import { FORCED_GRADIENT, type GradientName } from '../wasm/abi.ts';
import { optimizerFields, optimizerNlrFields, rootFields, shotsFields } from './abi-fields.generated.ts';
import { LIMITS, type Limits } from './limits.ts';
import { scheduleShape } from './schedule.ts';
import { int, positive } from './validators.ts';

// The enum names are the ABI's (abi/qiot-abi.ts).
export { ANSATZ_NAMES, COST_NAMES, GRADIENT_NAMES, NLR_MODE_NAMES, OPTIMIZER_NAMES, type OptimizerName } from '../wasm/abi.ts';
export const DATASET_NAMES = ['iris', 'synthetic', 'none'] as const;
export const IRIS_PAIRS = ['setosa-versicolor', 'versicolor-virginica'] as const;

export type IrisPair = (typeof IRIS_PAIRS)[number];

/** Defaults of the dataset fields that depend on the dataset kind (see data/). */
export const DATASET_DEFAULTS = {
  syntheticSamples: 100,
  separation: 3,
  irisPair: 'versicolor-virginica' as IrisPair,
} as const;

/** The config schema for a module with these capacities (default: the device build). */
export function runConfigShape(limits: Limits = LIMITS) {
  const DatasetSchema = z.strictObject({
    name: z.enum(DATASET_NAMES).default('none'),
    /** Total samples (train + test); default: 100 synthetic, all 100 of the Iris pair. */
    samples: int(2, limits.maxSamples).optional(),
    /** Features per sample; default: `qubits` for synthetic, 4 for Iris (Iris has exactly 4). */
    features: int(1, limits.maxFeatures).optional(),
    test_fraction: z.number('must be a number').min(0, 'must be ≥ 0').lt(1, 'must be < 1').default(0.25),
    /** Seed of sampling, shuffling and splitting; default: the run's `seed`. */
    seed: int(0, limits.maxJsonInteger).optional(),
    /** Synthetic only: distance between the two Gaussian class centres, in standard deviations. */
    separation: positive().optional(),
    /** Iris only: which two species; the first is labelled +1, the second −1. */
    pair: z.enum(IRIS_PAIRS).optional(),
  });

  return z.strictObject({
    ...rootFields(limits),
    dataset: DatasetSchema.prefault({}),
    optimizer: z.strictObject({ ...optimizerFields(limits), nlr: z.strictObject(optimizerNlrFields(limits)).prefault({}) }).prefault({}),
    shots: z.strictObject(shotsFields(limits)).prefault({}),
    /** Steps to run; 0 = until Ctrl-C or the shot budget ends the run (as TRAIN_START with 0 on a board). */
    steps: int(0, limits.maxSteps).default(100),
    /** Host-driven training in segments (layerwise, restarts): config/schedule.ts, host/src/schedule/. */
    schedule: scheduleShape(limits).optional(),
  });
}

export const RunConfigShape = runConfigShape(LIMITS);

export type RunConfig = z.output<typeof RunConfigShape>;

/** The gradient a config runs with: the explicit one, else adjoint (exact) or parameter-shift (shots). */
export function effectiveGradient(cfg: Pick<RunConfig, 'optimizer' | 'shots'>): GradientName {
  const forced = FORCED_GRADIENT[cfg.optimizer.name];
  if (forced) return forced;
  return cfg.optimizer.gradient ?? (cfg.shots.per_eval === 0 ? 'adjoint' : 'parameter-shift');
}
export type RunConfigInput = z.input<typeof RunConfigShape>;
