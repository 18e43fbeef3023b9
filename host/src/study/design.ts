// Design of the optimizer study (docs/results/README.md): tasks whose model lets every
// parameter and feature matter, the compared methods with their hyperparameter spaces,
// the tuning budget (the same for every method) and the seeds.
import { parseConfig } from '../config/load.ts';
import type { RunConfig, RunConfigInput } from '../config/schema.ts';
import type { ModuleBuild } from '../wasm/builds.ts';

export const STUDY_TASK_NAMES = ['synthetic', 'iris'] as const;
export type StudyTaskName = (typeof STUDY_TASK_NAMES)[number];
export const STUDY_LOSSES = ['class-sq', 'class-xent'] as const;
export type StudyLoss = (typeof STUDY_LOSSES)[number];

/** Data sets are fixed per task so seeds vary only θ₀, mini-batches and shot noise. */
const DATASET_SEED = 2025;

/**
 * The model: 4 qubits, hea-zy (RZ then RY on every qubit, then a CZ ladder), 3 layers (a
 * CZ ladder widens a light cone by one qubit per layer, so after n − 1 = 3 layers every
 * qubit's output depends on every feature), features re-uploaded before every layer,
 * readout mean ⟨Zᵢ⟩ over all qubits. 24 parameters, none with an identically zero gradient
 * (models.test.ts). Shots: 100 per evaluation, mini-batches of 10.
 */
export const STUDY_MODEL: RunConfigInput = {
  qubits: 4,
  layers: 3,
  ansatz: 'hea-zy',
  readout: 'mean-z',
  reupload: 1,
  batch: 10,
  shots: { per_eval: 100 },
  init_range: 2 * Math.PI,
};

/** The model of the earlier study (docs/results before this one): 12 of its 16 parameters are dead. */
export const OLD_MODEL: RunConfigInput = { qubits: 4, layers: 2, ansatz: 'hea', readout: 'z0', reupload: 0 };

export const STUDY_DATASETS: Record<StudyTaskName, RunConfigInput['dataset']> = {
  synthetic: { name: 'synthetic', samples: 100, separation: 1.5, seed: DATASET_SEED },
  iris: { name: 'iris', pair: 'versicolor-virginica', seed: DATASET_SEED },
};

/** Shots per run: 50 steps of a parameter-shift method (490 evaluations × 100 shots each). */
export const STUDY_SHOT_BUDGET = 2_450_000;

export const METHOD_NAMES = [
  'nlr-gated',
  'nlr-periodic',
  'nlr-stochastic',
  'nlr-patience',
  'sgd',
  'momentum',
  'adam',
  'spsa',
  'perturbed',
  'perturbed-matched',
  'gaussian-init',
  'identity-block',
  'layerwise',
  'restarts',
] as const;
export type MethodName = (typeof METHOD_NAMES)[number];
export const isNlr = (m: MethodName) => m.startsWith('nlr-');

/** A hyperparameter: log-uniform on [low, high], or uniform integers in [low, high]. */
export interface Dimension {
  kind: 'log' | 'int';
  low: number;
  high: number;
}

/** η of every method, before any widening (tuning.ts widens it by decades when the choice sits on an edge). */
export const LR_RANGE: Dimension = { kind: 'log', low: 0.01, high: 10 };

/** Each method's hyperparameters besides η. Fixed for all: momentum 0.9, Adam β = (0.9, 0.999), ε = 1e−8, SPSA c = 0.1. */
export const METHOD_SPACES: Record<MethodName, Record<string, Dimension>> = {
  'nlr-gated': { ratio: { kind: 'log', low: 0.1, high: 2 } },
  'nlr-periodic': { ratio: { kind: 'log', low: 0.1, high: 2 }, period: { kind: 'int', low: 2, high: 20 } },
  'nlr-stochastic': { ratio: { kind: 'log', low: 0.1, high: 2 }, prob: { kind: 'log', low: 0.02, high: 0.5 } },
  'nlr-patience': { ratio: { kind: 'log', low: 0.1, high: 2 }, patience: { kind: 'int', low: 1, high: 10 } },
  sgd: {},
  momentum: {},
  adam: {},
  spsa: {},
  // σ per coordinate: NLR's ascent moves θ by (1 + ρ)η‖g‖ ≈ 0.005–0.3 per coordinate here.
  perturbed: { sigma: { kind: 'log', low: 0.001, high: 0.3 } },
  // σ is not tuned but matched per run to periodic NLR with these η, ρ, k (methods.ts matchedSigma).
  'perturbed-matched': { ratio: { kind: 'log', low: 0.1, high: 2 }, period: { kind: 'int', low: 2, high: 20 } },
  'gaussian-init': { sigma: { kind: 'log', low: 0.01, high: 1 } },
  'identity-block': {},
  layerwise: {},
  restarts: { restarts: { kind: 'int', low: 2, high: 6 } },
};

export type Hyper = Record<string, number> & { lr: number };

export interface StudyOptions {
  tasks: StudyTaskName[];
  losses: StudyLoss[];
  methods: MethodName[];
  /** Random-search configurations per method and round: the same for every method. */
  configsPerMethod: number;
  /** Rounds of widening η by a decade when the chosen η sits in an outer tenth of its log-range. */
  maxWidenings: number;
  tuningSeeds: number[];
  evaluationSeeds: number[];
  budgetScale: number;
  bootstrapResamples: number;
  workers: number;
  /** The module build every run uses (default: device, what boards run). */
  build?: ModuleBuild;
}

const seeds = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

export const STUDY_FULL: Omit<StudyOptions, 'workers'> = {
  tasks: [...STUDY_TASK_NAMES],
  losses: [...STUDY_LOSSES],
  methods: [...METHOD_NAMES],
  configsPerMethod: 6,
  maxWidenings: 2,
  tuningSeeds: seeds(1001, 2),
  evaluationSeeds: seeds(1, 50),
  budgetScale: 1,
  bootstrapResamples: 2000,
};

export const STUDY_QUICK: Omit<StudyOptions, 'workers'> = {
  ...STUDY_FULL,
  tasks: ['synthetic'],
  losses: ['class-sq'],
  methods: ['nlr-gated', 'sgd', 'adam', 'layerwise', 'restarts'],
  configsPerMethod: 2,
  maxWidenings: 1,
  tuningSeeds: seeds(1001, 2),
  evaluationSeeds: seeds(1, 4),
  budgetScale: 0.04,
  bootstrapResamples: 200,
};

/** The optimizer section of an NLR run with these hyperparameters (unset ones at their defaults). */
export function nlrConfig(mode: string, hyper: Hyper): NonNullable<RunConfigInput['optimizer']> {
  return {
    name: 'nlr',
    lr: hyper.lr,
    nlr: {
      mode: mode as 'gated',
      ratio: hyper.ratio,
      period: hyper.period ?? 10,
      prob: hyper.prob ?? 0.1,
      patience: hyper.patience ?? 5,
    },
  };
}

/** The run config of one method's plain run (layerwise and restarts build theirs from it: methods.ts). */
export function methodConfig(
  task: StudyTaskName,
  loss: StudyLoss,
  method: MethodName,
  hyper: Hyper,
  seed: number,
  budget: number,
): RunConfig {
  return parseConfig(
    {
      ...STUDY_MODEL,
      ...methodPatch(method, hyper),
      cost: loss,
      dataset: STUDY_DATASETS[task],
      seed,
      steps: 0,
      shots: { per_eval: 100, budget: Math.round(budget) },
    },
    `study ${task} ${loss} ${method} seed=${seed}`,
  );
}

/** The config fields a method sets (optimizer, θ₀ kind) on top of a model. */
export function methodPatch(method: MethodName, hyper: Hyper): RunConfigInput {
  let optimizer: RunConfigInput['optimizer'] = { name: 'sgd', lr: hyper.lr };
  const extra: RunConfigInput = {};
  if (isNlr(method)) {
    optimizer = nlrConfig(method.slice(4), hyper);
  } else if (method === 'momentum' || method === 'adam' || method === 'spsa') {
    optimizer.name = method;
  } else if (method === 'perturbed') {
    optimizer.perturb = hyper.sigma;
  } else if (method === 'gaussian-init') {
    Object.assign(extra, { init: 'gaussian', init_range: hyper.sigma });
  } else if (method === 'identity-block') {
    extra.init = 'identity-block';
  }
  return { ...extra, optimizer };
}
