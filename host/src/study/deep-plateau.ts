// Barren plateaus at real depth (issue 13 item 4), part 1: Var[∂C/∂θ₁] over random McClean
// and hea circuits vs depth on the host build, against the exact 2-design value
// (study/two-design.ts). For each n the depth grid is scanned upwards (parameters
// P = k·n², k = DEPTH_GRID) until the variance is within `tolerance` of the 2-design value;
// that depth is the n's "2-design depth" used by the escape runs (deep-escape.ts).
import { limitsOfBuild } from '../config/limits.ts';
import { bootstrapCI, type BootstrapCI } from '../stats/bootstrap.ts';
import { sampleVariance } from '../stats/descriptive.ts';
import { firstParameterKind, twoDesignVariance } from './two-design.ts';
import { PARAMS_PER_QUBIT_LAYER } from '../wasm/abi.ts';
import type { ModuleBuild } from '../wasm/builds.ts';
import { type GradientBatch, gradientBatches, type PlateauAnsatz, type PlateauCost } from '../experiments/gradient-batch.ts';

/** Parameters per n² of the scanned depths: P = k·n² (mcclean L = k·n, hea L = k·n/2). */
export const DEPTH_GRID = [2, 4, 8, 12, 16, 20, 24, 28, 32] as const;

export interface ScanOptions {
  build: ModuleBuild;
  /** The (ansatz, cost) pairs scanned. */
  circuits: { ansatz: PlateauAnsatz; cost: PlateauCost }[];
  qubits: number[];
  /** Random circuits (seeds seedBase + s) per depth. */
  samples: number;
  /** A depth counts as 2-design depth when |Var / Var_2design − 1| ≤ tolerance. */
  tolerance: number;
  /** Depths scanned past the first one within tolerance (to see that the variance stays there). */
  confirmDepths: number;
  seedBase: number;
  bootstrapResamples: number;
}

export interface ScanRow {
  ansatz: PlateauAnsatz;
  cost: PlateauCost;
  qubits: number;
  layers: number;
  params: number;
  variance: number;
  varianceCI: BootstrapCI;
  twoDesign: number;
  /** variance / twoDesign. */
  ratio: number;
  withinTolerance: boolean;
}

export interface ChosenDepth {
  ansatz: PlateauAnsatz;
  cost: PlateauCost;
  qubits: number;
  /** The first scanned depth within tolerance; null if no depth the module holds got there. */
  layers: number | null;
}

/** The layers of a grid point, or null when it does not fit the module or is not a whole layer count. */
export function gridLayers(ansatz: PlateauAnsatz, n: number, k: number, build: ModuleBuild): number | null {
  const layers = (k * n) / PARAMS_PER_QUBIT_LAYER[ansatz];
  const limits = limitsOfBuild(build);
  if (!Number.isInteger(layers) || layers > limits.maxLayers || layers * n * PARAMS_PER_QUBIT_LAYER[ansatz] > limits.maxParams) return null;
  return layers;
}

export type RunBatch = (batches: GradientBatch[]) => Promise<number[][]>;

export async function scanDepths(
  opts: ScanOptions,
  run: RunBatch,
  onPoint?: (row: ScanRow) => void,
): Promise<{ rows: ScanRow[]; chosen: ChosenDepth[] }> {
  const rows: ScanRow[] = [];
  const chosen: ChosenDepth[] = [];
  for (const { ansatz, cost } of opts.circuits) {
    for (const n of opts.qubits) {
      const depths = DEPTH_GRID.map((k) => gridLayers(ansatz, n, k, opts.build)).filter((l): l is number => l !== null);
      let found: number | null = null;
      let confirmations = 0;
      for (const layers of depths) {
        const batches = gradientBatches({ ansatz, cost, qubits: n, layers, build: opts.build }, opts.samples, opts.seedBase);
        const g = (await run(batches)).flat();
        const row = scanRow(ansatz, cost, n, layers, g, opts);
        rows.push(row);
        onPoint?.(row);
        if (found === null) {
          if (!row.withinTolerance) continue;
          found = layers;
        } else confirmations++;
        if (confirmations >= opts.confirmDepths) break;
      }
      chosen.push({ ansatz, cost, qubits: n, layers: found });
    }
  }
  return { rows, chosen };
}

export function scanRow(
  ansatz: PlateauAnsatz,
  cost: PlateauCost,
  n: number,
  layers: number,
  g: number[],
  opts: Pick<ScanOptions, 'tolerance' | 'bootstrapResamples' | 'seedBase'>,
): ScanRow {
  const variance = sampleVariance(g);
  const twoDesign = twoDesignVariance(cost, n, firstParameterKind(ansatz));
  return {
    ansatz,
    cost,
    qubits: n,
    layers,
    params: layers * n * PARAMS_PER_QUBIT_LAYER[ansatz],
    variance,
    varianceCI: bootstrapCI(g, { resamples: opts.bootstrapResamples, level: 0.95, seed: opts.seedBase + n, statistic: sampleVariance }),
    twoDesign,
    ratio: variance / twoDesign,
    withinTolerance: Math.abs(variance / twoDesign - 1) <= opts.tolerance,
  };
}
