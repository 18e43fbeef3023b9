// ∂C/∂θ₁ of random circuits, the unit of work of barren-plateau and of deep-plateau's depth
// scan: a batch of seeds [from, to), each a fresh circuit (gate choice and θ from the seed,
// exact expectations). A batch gives the same numbers in this thread, in a pool worker
// (gradient-worker.ts) or on a fleet worker: each seed opens a fresh module instance.
import { parseConfig } from '../config/load.ts';
import { limitsOfBuild } from '../config/limits.ts';
import type { RunConfig } from '../config/schema.ts';
import type { ModuleBuild } from '../wasm/builds.ts';
import { openSession } from './session.ts';

export type PlateauAnsatz = 'mcclean' | 'hea';
export type PlateauCost = 'local' | 'global';

export function plateauCircuit(
  ansatz: PlateauAnsatz,
  cost: PlateauCost,
  n: number,
  layers: number,
  seed: number,
  build: ModuleBuild,
): RunConfig {
  return parseConfig(
    {
      qubits: n,
      layers,
      ansatz,
      cost,
      seed,
      init_range: 2 * Math.PI,
      shots: { per_eval: 0, budget: 0 },
      optimizer: { name: 'sgd', lr: 0.1 },
    },
    `plateau circuit ${ansatz} ${cost} n=${n} L=${layers}`,
    limitsOfBuild(build),
  );
}

/** ∂C/∂θ₁ of the circuits with seeds [from, to). */
export interface GradientBatch {
  kind: 'gradients';
  ansatz: PlateauAnsatz;
  cost: PlateauCost;
  qubits: number;
  layers: number;
  from: number;
  to: number;
  build: ModuleBuild;
}

export type GradientPoint = Omit<GradientBatch, 'kind' | 'from' | 'to'>;

export async function firstGradients(b: GradientBatch): Promise<number[]> {
  const out: number[] = [];
  for (let seed = b.from; seed < b.to; seed++) {
    const session = await openSession(plateauCircuit(b.ansatz, b.cost, b.qubits, b.layers, seed, b.build), undefined, b.build);
    out.push(session.gradient()[0]);
  }
  return out;
}

/** Splits a point's samples into this many batches so every worker gets some. */
const BATCHES_PER_POINT = 8;

/** The batches of one point's `samples` circuits, seeds seedBase … seedBase + samples − 1 in order. */
export function gradientBatches(p: GradientPoint, samples: number, seedBase: number): GradientBatch[] {
  const step = Math.ceil(samples / BATCHES_PER_POINT);
  const batches: GradientBatch[] = [];
  for (let from = 0; from < samples; from += step) {
    // Key order as before the batches were shared: deep-plateau's finished-runs.jsonl keys are this JSON.
    batches.push({
      kind: 'gradients',
      ansatz: p.ansatz,
      cost: p.cost,
      qubits: p.qubits,
      layers: p.layers,
      from: seedBase + from,
      to: seedBase + Math.min(samples, from + step),
      build: p.build,
    });
  }
  return batches;
}

export type RunGradients = (b: GradientBatch) => Promise<number[]>;

/**
 * Batches in this thread one after the other, in the order asked (each holds one module
 * instance at a time); after a failure the batches still waiting are refused, not run.
 */
export function inThisThread(): RunGradients {
  let queue: Promise<unknown> = Promise.resolve();
  let failed = false;
  return (b) => {
    const result = queue.then(() => {
      if (failed) throw new Error('not run: an earlier gradient batch failed');
      return firstGradients(b).catch((error: unknown) => {
        failed = true;
        throw error;
      });
    });
    queue = result.catch(() => {});
    return result;
  };
}
