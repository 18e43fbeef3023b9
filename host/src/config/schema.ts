// The JSON run config: field names, defaults and per-field rules. Rules that
// relate several fields live in cross-rules.ts.
import { z } from 'zod';
import {
  ANSATZ_NAMES, COST_NAMES, FORCED_GRADIENT, GRADIENT_NAMES, NLR_MODE_NAMES, OPTIMIZER_NAMES, type GradientName,
} from '../wasm/abi.ts';
import { LIMITS, type Limits } from './limits.ts';

// The enum names are the ABI's (abi/qiot-abi.ts).
export { ANSATZ_NAMES, COST_NAMES, GRADIENT_NAMES, NLR_MODE_NAMES, OPTIMIZER_NAMES, type OptimizerName } from '../wasm/abi.ts';
export const DATASET_NAMES = ['iris', 'synthetic', 'none'] as const;
export const IRIS_PAIRS = ['setosa-versicolor', 'versicolor-virginica'] as const;

export type IrisPair = (typeof IRIS_PAIRS)[number];

// z.int() also rejects integers beyond ±(2^53 − 1) with its own issue, which comes
// first: it gets the range message, since such a value is also outside [min, max].
const int = (min: number, max: number) =>
  z
    .int({
      error: (issue) =>
        issue.code === 'too_big' ? `must be ≤ ${max}` : issue.code === 'too_small' ? `must be ≥ ${min}` : 'must be an integer',
    })
    .min(min, `must be ≥ ${min}`)
    .max(max, `must be ≤ ${max}`);
const positive = () => z.number('must be a number').gt(0, 'must be > 0');
const unitInterval = () => z.number('must be a number').min(0, 'must be ≥ 0').lt(1, 'must be < 1');

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

  const NlrSchema = z.strictObject({
    /** ρ: the negative phase moves by −ρ·η. */
    ratio: positive().default(0.5),
    mode: z.enum(NLR_MODE_NAMES).default('gated'),
    period: int(2, 1_000_000).default(10),
    prob: z.number('must be a number').gt(0, 'must be > 0').max(1, 'must be ≤ 1').default(0.1),
    patience: int(1, 1_000_000).default(5),
  });

  const OptimizerSchema = z.strictObject({
    name: z.enum(OPTIMIZER_NAMES).default('nlr'),
    /**
     * How ∇L is estimated; some optimizers force theirs (FORCED_GRADIENT, e.g. SPSA uses SPSA gradients). Default (effectiveGradient):
     * adjoint in exact mode, parameter-shift with shots (adjoint needs exact mode).
     */
    gradient: z.enum(GRADIENT_NAMES).optional(),
    lr: positive().default(0.1),
    momentum: unitInterval().default(0.9),
    beta1: unitInterval().default(0.9),
    beta2: unitInterval().default(0.999),
    eps: positive().default(1e-8),
    spsa_c: positive().default(0.1),
    nlr: NlrSchema.prefault({}),
  });

  const ShotsSchema = z.strictObject({
    /** 0 = exact expectations; else measurement shots per circuit evaluation. */
    per_eval: int(0, limits.maxShotsPerEval).default(0),
    /** Total shots for the run; must be > 0 in sampled mode and 0 in exact mode. */
    budget: int(0, limits.maxJsonInteger).default(0),
  });

  return z.strictObject({
    qubits: int(1, limits.maxQubits).default(4),
    layers: int(1, limits.maxLayers).default(2),
    ansatz: z.enum(ANSATZ_NAMES).default('hea'),
    cost: z.enum(COST_NAMES).default('local'),
    dataset: DatasetSchema.prefault({}),
    optimizer: OptimizerSchema.prefault({}),
    shots: ShotsSchema.prefault({}),
    /** Steps to run; 0 = until Ctrl-C or the shot budget ends the run (as TRAIN_START with 0 on a board). */
    steps: int(0, limits.maxSteps).default(100),
    /** 0 = the whole training set each step, else samples per mini-batch. */
    batch: int(0, limits.maxSamples).default(0),
    seed: int(0, limits.maxJsonInteger).default(1),
    /** θ₀ ~ U[0, init_range). */
    init_range: positive().default(2 * Math.PI),
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
