// Runs the deep-plateau experiment on a pool (worker threads here, or the fleet's workers): the
// depth scan (deep-plateau.ts), then the escape runs (deep-escape.ts) at the hea depths the scan found. Each gradient batch of the
// scan and each escape run is one unit of <out>/finished-runs.jsonl (experiments/finished-runs.ts),
// keyed by its whole task: recorded on this thread the moment its worker answers, read back on --resume.
import { type FinishedRuns, runRecorded } from '../experiments/finished-runs.ts';
import { type TaskPool, WorkerPool } from '../pool/pool.ts';
import { TASK_KINDS } from '../pool/task-kinds.ts';
import { SCHEDULE_LIMITS } from '../config/schedule.ts';
import type { MethodName } from './design.ts';
import { METHOD_NAMES } from './design.ts';
import type { RunMetrics } from './methods.ts';
import type { ModuleBuild } from '../wasm/builds.ts';
import { runEscape, type EscapeOptions, type EscapeResult, type EscapeSetting } from './deep-escape.ts';
import { scanDepths, type ChosenDepth, type ScanOptions, type ScanRow } from './deep-plateau.ts';
import type { DeepTask } from './deep-plateau-worker.ts';

/** What a unit of work gives: a gradient batch's ∂C/∂θ₁ values or an escape run's metrics. */
export type DeepUnit = number[] | RunMetrics;

export interface DeepPlateauOptions {
  scan: Omit<ScanOptions, 'build'>;
  escape: Omit<EscapeOptions, 'build' | 'settings'> & { exactQubits: number[]; shotQubits: number[]; tuneExact: number; tuneShots: number };
  build: ModuleBuild;
  workers: number;
}

export interface DeepPlateauResult {
  options: DeepPlateauOptions;
  scan: ScanRow[];
  chosen: ChosenDepth[];
  escape: EscapeResult;
  /** Escape sizes left out because the scan found no 2-design depth the module holds. */
  skipped: number[];
  wallTimeS: number;
}

const ALL_METHODS: MethodName[] = [...METHOD_NAMES];

export const DEEP_PLATEAU_FULL: Omit<DeepPlateauOptions, 'workers' | 'build'> = {
  scan: {
    circuits: [
      { ansatz: 'mcclean', cost: 'local' },
      { ansatz: 'mcclean', cost: 'global' },
      { ansatz: 'hea', cost: 'local' },
    ],
    qubits: [4, 6, 8, 10, 12],
    samples: 400,
    tolerance: 0.2,
    confirmDepths: 1,
    seedBase: 1,
    bootstrapResamples: 1000,
  },
  escape: {
    methods: ALL_METHODS,
    exactQubits: [4, 6, 8, 10, 12],
    shotQubits: [4, 6],
    tuneExact: 6,
    tuneShots: 4,
    steps: 30,
    shotsPerEval: 100,
    threshold: 0.4,
    configsPerMethod: 3,
    maxWidenings: 1,
    tuningSeeds: [1001, 1002],
    evaluationSeeds: [1, 2, 3, 4, 5, 6],
  },
};

export const DEEP_PLATEAU_QUICK: Omit<DeepPlateauOptions, 'workers' | 'build'> = {
  scan: {
    circuits: [{ ansatz: 'hea', cost: 'local' }],
    qubits: [2, 3],
    samples: 60,
    tolerance: 0.5,
    confirmDepths: 0,
    seedBase: 1,
    bootstrapResamples: 100,
  },
  escape: {
    methods: ['nlr-periodic', 'sgd', 'perturbed-matched', 'layerwise', 'restarts'],
    exactQubits: [2, 3],
    shotQubits: [2],
    tuneExact: 2,
    tuneShots: 2,
    // The fewest a layerwise run takes: one step per segment (its layer groups, then the final phase).
    steps: 2 * SCHEDULE_LIMITS.defaultLayerGroups,
    shotsPerEval: 50,
    threshold: 0.4,
    configsPerMethod: 1,
    maxWidenings: 0,
    tuningSeeds: [1001],
    evaluationSeeds: [1, 2],
  },
};

/**
 * `finished`: units are recorded there as they end, and units it already holds are not run again (--resume).
 * `pool`: where the units go (the caller closes it); default: opts.workers threads of this process.
 */
export async function runDeepPlateau(
  opts: DeepPlateauOptions,
  onProgress?: (label: string, done: number, total: number) => void,
  finished?: FinishedRuns<DeepUnit>,
  given?: TaskPool<DeepTask, DeepUnit>,
): Promise<DeepPlateauResult> {
  const started = performance.now();
  const pool = given ?? new WorkerPool<DeepTask, DeepUnit>(TASK_KINDS['deep-plateau'], opts.workers);
  const runOne = runRecorded((t: DeepTask) => pool.run(t), finished);
  try {
    const scan = await scanDepths(
      { ...opts.scan, build: opts.build },
      (batches) => Promise.all(batches.map(runOne)) as Promise<number[][]>,
      (row) => onProgress?.(`scan ${row.ansatz} ${row.cost} n=${row.qubits} L=${row.layers} ratio ${row.ratio.toFixed(2)}`, 1, 1),
    );
    const depthOf = (n: number) => scan.chosen.find((c) => c.ansatz === 'hea' && c.cost === 'local' && c.qubits === n)?.layers ?? null;
    const skipped = [...new Set([...opts.escape.exactQubits, ...opts.escape.shotQubits])].filter((n) => depthOf(n) === null);
    const sizes = (ns: number[]) => ns.filter((n) => depthOf(n) !== null).map((n) => ({ qubits: n, layers: depthOf(n)! }));
    const settings: EscapeSetting[] = [
      { mode: 'exact', sizes: sizes(opts.escape.exactQubits), tuneQubits: opts.escape.tuneExact },
      { mode: 'shots', sizes: sizes(opts.escape.shotQubits), tuneQubits: opts.escape.tuneShots },
    ];
    const escaped = await runEscape(
      { ...opts.escape, build: opts.build, settings },
      (runs) => Promise.all(runs.map((r) => runOne({ kind: 'run', ...r }))) as Promise<RunMetrics[]>,
      onProgress,
    );
    return {
      options: opts,
      scan: scan.rows,
      chosen: scan.chosen,
      escape: escaped,
      skipped,
      wallTimeS: (performance.now() - started) / 1000,
    };
  } finally {
    if (!given) await pool.close();
  }
}
