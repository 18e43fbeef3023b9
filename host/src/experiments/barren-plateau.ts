// McClean et al. 2018: the variance of ∂C/∂θ₁ over random circuits decays
// exponentially with the number of qubits. Exact expectations, one fresh seed
// (gate choice and θ) per sample, gradient from the module's gradient().
import { parseConfig } from '../config/load.ts';
import type { RunConfig } from '../config/schema.ts';
import { limitsOfBuild, type Limits } from '../config/limits.ts';
import type { ModuleBuild } from '../wasm/builds.ts';
import { mean, sampleVariance } from '../stats/descriptive.ts';
import { semilogFit, type SemilogFit } from '../stats/regression.ts';
import { bootstrapCI, type BootstrapCI } from '../stats/bootstrap.ts';
import type { FinishedRuns } from './finished-runs.ts';
import { openSession } from './session.ts';
import { QiotError } from '../errors.ts';

export type PlateauCost = 'local' | 'global';

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
  options: Omit<BarrenPlateauOptions, 'onProgress'>;
  rows: VarianceRow[];
  fits: CostFit[];
  /** Raw ∂C/∂θ₁ per cost and qubit count, for re-analysis. */
  gradients: Record<string, number[]>;
}

export function plateauConfig(cost: PlateauCost, n: number, layers: number, seed: number, build: ModuleBuild = 'device'): RunConfig {
  return parseConfig(
    {
      qubits: n,
      layers,
      ansatz: 'mcclean',
      cost,
      seed,
      init_range: 2 * Math.PI,
      shots: { per_eval: 0, budget: 0 },
      optimizer: { name: 'sgd', lr: 0.1 },
    },
    `barren-plateau ${cost} n=${n}`,
    limitsOfBuild(build),
  );
}

/**
 * `finished`: each (cost, qubits) cell's gradients are recorded there as the cell
 * ends, and cells it already holds are not run again (--resume).
 */
export async function runBarrenPlateau(opts: BarrenPlateauOptions, finished?: FinishedRuns<number[]>): Promise<BarrenPlateauResult> {
  validateOptions(opts);
  const build = opts.build ?? 'device';
  const limits = limitsOfBuild(build);
  const rows: VarianceRow[] = [];
  const gradients: Record<string, number[]> = {};
  const total = opts.costs.length * opts.qubits.length * opts.samples;
  let done = 0;
  for (const cost of opts.costs) {
    for (const n of opts.qubits) {
      const layers = opts.layers ?? defaultLayers(n, limits);
      const sample = async () => {
        const cell: number[] = [];
        for (let s = 0; s < opts.samples; s++) {
          const session = await openSession(plateauConfig(cost, n, layers, opts.seedBase + s, build), undefined, build);
          cell.push(session.gradient()[0]);
          opts.onProgress?.(++done, total);
        }
        return cell;
      };
      const key = JSON.stringify([cost, n, layers, opts.samples, opts.seedBase, build]);
      const before = done;
      const g = finished ? await finished.getOrRun(key, sample) : await sample();
      done = before + opts.samples;
      opts.onProgress?.(done, total);
      gradients[`${cost}/${n}`] = g;
      rows.push({
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
      });
    }
  }
  const fits = fitVariances(rows);
  const { onProgress: _omit, ...options } = opts;
  return { options, rows, fits, gradients };
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
}
