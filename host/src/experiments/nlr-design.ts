// Design of the NLR comparison: tasks, contenders (the NLR variants and the
// baseline optimizers), learning-rate sweep, seeds and the shot budget every
// run gets. Each contender gets the same sweep; its learning rate is chosen on
// tuning seeds disjoint from the evaluation seeds.
import { parseConfig } from '../config/load.ts';
import { NLR_MODE_NAMES, type OptimizerName, type RunConfig, type RunConfigInput } from '../config/schema.ts';

export const NLR_TASK_NAMES = ['synthetic', 'iris', 'plateau'] as const;
export type NlrTaskName = (typeof NLR_TASK_NAMES)[number];

export interface NlrTask {
  name: NlrTaskName;
  description: string;
  /** Everything but optimizer, seed and shot budget. */
  base: RunConfigInput;
  /** Shots per run, the same for every optimizer (sampled mode). */
  shotBudget: number;
}

/** Data sets are fixed per task (dataset.seed) so seeds vary only θ₀, mini-batches and shot noise. */
const DATASET_SEED = 2025;

export const NLR_TASKS: Record<NlrTaskName, NlrTask> = {
  synthetic: {
    name: 'synthetic',
    description: '4 qubits, hea 2 layers (16 parameters), 100 Gaussian-blob samples (separation 1.5 σ), batch 10, 100 shots/eval',
    base: {
      qubits: 4,
      layers: 2,
      ansatz: 'hea',
      dataset: { name: 'synthetic', samples: 100, separation: 1.5, seed: DATASET_SEED },
      batch: 10,
      shots: { per_eval: 100 },
      init_range: 2 * Math.PI,
    },
    shotBudget: 2_000_000,
  },
  iris: {
    name: 'iris',
    description: '4 qubits, hea 2 layers (16 parameters), Iris versicolor vs virginica (100 samples), batch 10, 100 shots/eval',
    base: {
      qubits: 4,
      layers: 2,
      ansatz: 'hea',
      dataset: { name: 'iris', pair: 'versicolor-virginica', seed: DATASET_SEED },
      batch: 10,
      shots: { per_eval: 100 },
      init_range: 2 * Math.PI,
    },
    shotBudget: 2_000_000,
  },
  plateau: {
    name: 'plateau',
    description: '8 qubits, hea 2 layers (32 parameters), global cost 1 − p(0…0), no data, 1000 shots/eval',
    base: {
      qubits: 8,
      layers: 2,
      ansatz: 'hea',
      cost: 'global',
      shots: { per_eval: 1000 },
      init_range: 2 * Math.PI,
    },
    shotBudget: 6_000_000,
  },
};

export type NlrMode = (typeof NLR_MODE_NAMES)[number];
export const NLR_MODES: readonly NlrMode[] = NLR_MODE_NAMES;

export const BASELINE_NAMES = ['sgd', 'momentum', 'adam', 'spsa'] as const;
export type BaselineName = (typeof BASELINE_NAMES)[number];

/** One compared method: an NLR variant (`nlr-gated`, `nlr-periodic`, …) or a baseline optimizer. */
export type ContenderName = `nlr-${NlrMode}` | BaselineName;

export const nlrContender = (mode: NlrMode): ContenderName => `nlr-${mode}`;
export const isNlrContender = (c: ContenderName): c is `nlr-${NlrMode}` => c.startsWith('nlr-');

/**
 * Parameters of the NLR variants, fixed a priori (never tuned on any seed):
 * ρ, period k, probability p and patience m are the defaults docs/nlr.md lists
 * for the module binding. Each variant's learning rate η is swept like every
 * other contender's.
 */
export const NLR_VARIANT_PARAMS = { ratio: 0.5, period: 5, prob: 0.1, patience: 3 } as const;

export const CLASSIFICATION_LOSSES = ['class-sq', 'class-xent'] as const;
export type ClassificationLoss = (typeof CLASSIFICATION_LOSSES)[number];

export interface NlrOptions {
  tasks: NlrTaskName[];
  /**
   * Loss of the synthetic and Iris tasks. Default class-sq: bounded, so one
   * sample whose 100 shots all land on one outcome cannot dominate a step; with
   * class-xent such a sample hits the 1e−7 clamp and its gradient is ~10⁷×
   * larger (docs/results/README.md shows both).
   */
  classificationLoss: ClassificationLoss;
  /** NLR variants compared (each a contender of its own). */
  nlrModes: NlrMode[];
  baselines: BaselineName[];
  learningRates: number[];
  tuningSeeds: number[];
  evaluationSeeds: number[];
  /** Scales every task's shot budget (quick mode uses a small fraction). */
  budgetScale: number;
  /** Safety cap on steps; the shot budget is what ends a run. */
  maxSteps: number;
  bootstrapResamples: number;
  /** NLR runs shown in the phase timeline per task. */
  timelineRuns: number;
}

const seeds = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

export const NLR_FULL: NlrOptions = {
  tasks: [...NLR_TASK_NAMES],
  classificationLoss: 'class-sq',
  nlrModes: [...NLR_MODES],
  baselines: [...BASELINE_NAMES],
  // 1.0 was added after a first run chose the grid's edge (0.3) for NLR, SGD and SPSA on every task.
  learningRates: [0.01, 0.05, 0.1, 0.3, 1.0],
  tuningSeeds: seeds(1001, 5),
  evaluationSeeds: seeds(1, 20),
  budgetScale: 1,
  maxSteps: 5000,
  bootstrapResamples: 2000,
  timelineRuns: 8,
};

export const NLR_QUICK: NlrOptions = {
  ...NLR_FULL,
  tasks: ['synthetic', 'plateau'],
  learningRates: [0.05, 0.3],
  tuningSeeds: seeds(1001, 2),
  evaluationSeeds: seeds(1, 3),
  budgetScale: 0.05,
  bootstrapResamples: 200,
  timelineRuns: 3,
};

/** NLR variants first, then the baselines, in the order given. */
export function contendersOf(opts: Pick<NlrOptions, 'nlrModes' | 'baselines'>): ContenderName[] {
  return [...opts.nlrModes.map(nlrContender), ...opts.baselines];
}

function optimizerOf(contender: ContenderName): NonNullable<RunConfigInput['optimizer']> & { name: OptimizerName } {
  if (!isNlrContender(contender)) return { name: contender };
  return { name: 'nlr', nlr: { ...NLR_VARIANT_PARAMS, mode: contender.slice('nlr-'.length) as NlrMode } };
}

export function nlrRunConfig(
  task: NlrTask,
  contender: ContenderName,
  lr: number,
  seed: number,
  budgetScale: number,
  maxSteps: number,
  classificationLoss: ClassificationLoss = 'class-sq',
): RunConfig {
  return parseConfig(
    {
      ...task.base,
      cost: task.base.cost ?? classificationLoss,
      seed,
      steps: maxSteps,
      shots: { ...task.base.shots, budget: Math.round(task.shotBudget * budgetScale) },
      optimizer: { ...optimizerOf(contender), lr },
    },
    `nlr ${task.name} ${contender} lr=${lr} seed=${seed}`,
  );
}
