// McClean et al. 2018: the variance of ∂C/∂θ₁ over random circuits decays
// exponentially with the number of qubits. Exact expectations, one fresh seed
// (gate choice and θ) per sample, gradient from the module's gradient(). The samples
// run as gradient batches (gradient-batch.ts) in this thread, on a worker-thread pool
// or on the fleet's workers (a TaskPool of kind 'barren-plateau'): the same numbers whichever runs them.
import { limitsOfBuild, type Limits } from '../config/limits.ts';
import type { ModuleBuild } from '../wasm/builds.ts';
import { mean, sampleVariance } from '../stats/descriptive.ts';
import { semilogFit, type SemilogFit } from '../stats/regression.ts';
import { bootstrapCI, type BootstrapCI } from '../stats/bootstrap.ts';
import type { FinishedRuns } from './finished-runs.ts';
import { type GradientBatch, gradientBatches, inThisThread, type PlateauCost, type RunGradients } from './gradient-batch.ts';
import { type TaskPool, WorkerPool } from '../pool/pool.ts';
import { TASK_KINDS } from '../pool/task-kinds.ts';
import { QiotError } from '../errors.ts';

export interface BarrenPlateauOptions {
  qubits: number[];
  samples: number;
  /** The module build (default: device); the host build holds deeper and wider circuits. */
  build?: ModuleBuild;
  /** Fixed depth, or undefined for the deepest circuit the module holds (see `defaultLayers`). */
  layers?: number;
  costs: PlateauCost[];
  /** Sample s of every (cost, n) uses seed `seedBase + s`. */
  seedBase: number;
  bootstrapResamples: number;
  /** Worker threads of a pool run here; undefined: every batch in this thread, one after the other. */
  workers?: number;
  /** Called as each gradient batch (or recorded cell) is done. */
  onProgress?: (done: number, total: number) => void;
}

export const BARREN_PLATEAU_FULL: Omit<BarrenPlateauOptions, 'costs'> = {
  qubits: [2, 3, 4, 5, 6, 7, 8, 9, 10],
  samples: 200,
  seedBase: 1,
  bootstrapResamples: 2000,
};

export const BARREN_PLATEAU_QUICK: Omit<BarrenPlateauOptions, 'costs'> = {
  qubits: [2, 3, 4, 5, 6],
  samples: 60,
  layers: 20,
  seedBase: 1,
  bootstrapResamples: 500,
};

/**
 * McClean's claim is for deep circuits (approximate 2-designs). The module holds
 * at most `maxParams` = 256 parameters (L·n) and 64 layers, so the default depth
 * is L(n) = min(64, ⌊256 / n⌋): 64 layers up to n = 4, 25 at n = 10.
 */
export function defaultLayers(n: number, limits: Limits = limitsOfBuild('device')): number {
  return Math.min(limits.maxLayers, Math.floor(limits.maxParams / n));
}

/** ln-variance slope per qubit of a unitary 2-design: −ln 2 for a traceless Pauli (local) cost, −2 ln 2 for the |0…0⟩ projector (global). */
export const TWO_DESIGN_SLOPE: Record<PlateauCost, number> = { local: -Math.LN2, global: -2 * Math.LN2 };

export interface VarianceRow {
  cost: PlateauCost;
  qubits: number;
  layers: number;
  samples: number;
  meanGradient: number;
  variance: number;
  /** Percentile bootstrap interval of the variance over the samples. */
  varianceCI: BootstrapCI;
}

/**
 * Depth from which a point counts as deep. Measured with 400 circuits (local
 * cost): Var at L = 7n is within 20% of the deepest the module holds at
 * n = 4 (L 28 vs 64) and n = 5 (35 vs 51), while L = 2n–4n is still 1.5–4×
 * higher. L ≥ 7n fits the 256-parameter capacity only up to n = 6.
 */
export const DEEP_LAYERS_PER_QUBIT = 7;

export interface CostFit {
  cost: PlateauCost;
  /** 'all' points, or only the 'deep' ones (layers ≥ DEEP_LAYERS_PER_QUBIT · n). */
  points: 'all' | 'deep';
  qubits: number[];
  fit: SemilogFit;
  twoDesignSlope: number;
}

export interface BarrenPlateauResult {
  /** Without `workers`: the result does not depend on where the batches ran. */
  options: Omit<BarrenPlateauOptions, 'onProgress' | 'workers'>;
  rows: VarianceRow[];
  fits: CostFit[];
  /** Raw ∂C/∂θ₁ per cost and qubit count, for re-analysis. */
  gradients: Record<string, number[]>;
}

/**
 * `finished`: each (cost, qubits) cell's gradients are recorded there as the cell
 * ends, and cells it already holds are not run again (--resume). `pool`: runs the
 * batches instead of opts.workers' pool (e.g. the fleet's; the caller closes it).
 */
export async function runBarrenPlateau(
  opts: BarrenPlateauOptions,
  finished?: FinishedRuns<number[]>,
  pool?: TaskPool<GradientBatch, number[]>,
): Promise<BarrenPlateauResult> {
  validateOptions(opts);
  const build = opts.build ?? 'device';
  const limits = limitsOfBuild(build);
  const own =
    !pool && opts.workers !== undefined ? new WorkerPool<GradientBatch, number[]>(TASK_KINDS['barren-plateau'], opts.workers) : undefined;
  const run: RunGradients = pool ? (b) => pool.run(b) : own ? (b) => own.run(b) : inThisThread();
  const total = opts.costs.length * opts.qubits.length * opts.samples;
  let done = 0;
  const progress = (count: number) => opts.onProgress?.((done += count), total);
  const cells = opts.costs.flatMap((cost) => opts.qubits.map((n) => ({ cost, n, layers: opts.layers ?? defaultLayers(n, limits) })));
  try {
    // Every cell's batches are handed out at once, so the pool is never idle between cells.
    const gradients = await Promise.all(
      cells.map(async ({ cost, n, layers }) => {
        const sample = async () => {
          const batches = gradientBatches({ ansatz: 'mcclean', cost, qubits: n, layers, build }, opts.samples, opts.seedBase);
          const parts = await Promise.all(
            batches.map(async (b) => {
              const g = await run(b);
              progress(g.length);
              return g;
            }),
          );
          return parts.flat();
        };
        if (!finished) return sample();
        // The key of a cell since finished-runs.jsonl began: an older file still resumes.
        const key = JSON.stringify([cost, n, layers, opts.samples, opts.seedBase, build]);
        const recorded = finished.get(key);
        if (recorded) progress(recorded.length);
        return finished.getOrRun(key, sample);
      }),
    );
    const rows = cells.map(({ cost, n, layers }, i) => varianceRow(cost, n, layers, gradients[i], opts));
    const { onProgress: _progress, workers: _workers, ...options } = opts;
    return {
      options,
      rows,
      fits: fitVariances(rows),
      gradients: Object.fromEntries(cells.map(({ cost, n }, i) => [`${cost}/${n}`, gradients[i]])),
    };
  } finally {
    await own?.close();
  }
}

function varianceRow(cost: PlateauCost, n: number, layers: number, g: number[], opts: BarrenPlateauOptions): VarianceRow {
  return {
    cost,
    qubits: n,
    layers,
    samples: g.length,
    meanGradient: mean(g),
    variance: sampleVariance(g),
    varianceCI: bootstrapCI(g, {
      resamples: opts.bootstrapResamples,
      level: 0.95,
      seed: opts.seedBase + n,
      statistic: sampleVariance,
    }),
  };
}

/** Semilog fits per cost over all points and, where ≥ 3 exist, over the deep points only. */
export function fitVariances(rows: readonly VarianceRow[]): CostFit[] {
  const costs = [...new Set(rows.map((r) => r.cost))];
  return costs.flatMap((cost) => {
    const own = rows.filter((r) => r.cost === cost);
    const deep = own.filter((r) => r.layers >= DEEP_LAYERS_PER_QUBIT * r.qubits);
    const sets: [CostFit['points'], VarianceRow[]][] = [['all', own]];
    if (deep.length >= 3 && deep.length < own.length) sets.push(['deep', deep]);
    return sets.map(([points, sel]) => ({
      cost,
      points,
      qubits: sel.map((r) => r.qubits),
      fit: semilogFit(
        sel.map((r) => r.qubits),
        sel.map((r) => r.variance),
        0.95,
      ),
      twoDesignSlope: TWO_DESIGN_SLOPE[cost],
    }));
  });
}

function validateOptions(opts: BarrenPlateauOptions): void {
  const limits = limitsOfBuild(opts.build ?? 'device');
  if (opts.qubits.length < 3)
    throw new QiotError(`barren-plateau: needs ≥ 3 qubit counts for a slope CI, got ${opts.qubits.length}`, 'invalid');
  for (const n of opts.qubits) {
    if (!Number.isInteger(n) || n < 1 || n > limits.maxQubits) {
      throw new QiotError(`barren-plateau: qubit count ${n} is outside 1..${limits.maxQubits}`, 'invalid');
    }
    const layers = opts.layers ?? defaultLayers(n, limits);
    if (layers * n > limits.maxParams) {
      throw new QiotError(
        `barren-plateau: ${layers} layers × ${n} qubits = ${layers * n} parameters, the module holds ${limits.maxParams}`,
        'invalid',
      );
    }
  }
  if (!Number.isInteger(opts.samples) || opts.samples < 2) {
    throw new QiotError(`barren-plateau: samples must be an integer ≥ 2, got ${opts.samples}`, 'invalid');
  }
  if (opts.workers !== undefined && (!Number.isInteger(opts.workers) || opts.workers < 1)) {
    throw new QiotError(`barren-plateau: workers must be an integer ≥ 1, got ${opts.workers}`, 'invalid');
  }
}
