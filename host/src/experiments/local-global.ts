// Cerezo et al. 2021 as PennyLane's demo "Alleviating barren plateaus with local
// cost functions" sets it up: 6 qubits, RX·RY on every qubit then a CNOT chain
// (ansatz rxry-cnot, 1 layer), C_G = 1 − p(0…0) vs C_L = 1 − p(q₀ = 0), 10 000
// shots per evaluation, plain gradient descent (lr 0.2) with parameter shift, 100 steps.
import { parseConfig } from '../config/load.ts';
import type { RunConfig } from '../config/schema.ts';
import type { FinishedRun, FinishedRuns } from './finished-runs.ts';
import { type FleetJobsContext, runnerFor } from './fleet-jobs.ts';
import type { TrainingJob } from './jobs.ts';
import { openSession } from './session.ts';
import type { StopReason } from './trajectory.ts';

export type Start =
  /** The demo's training start: RX = 3.0 and RY = 0 on every qubit ("the middle of the plateau"). */
  | { kind: 'demo' }
  /** θ₀ ~ U[0, range) drawn by the module from the run seed. */
  | { kind: 'uniform'; range: number; seed: number };

export interface LocalGlobalOptions {
  qubits: number;
  shots: number;
  lr: number;
  steps: number;
  /** Seeds of the random starts (each used for U[0, π) and U[0, 2π)). */
  seeds: number[];
}

export const LOCAL_GLOBAL_FULL: LocalGlobalOptions = {
  qubits: 6,
  shots: 10_000,
  lr: 0.2,
  steps: 100,
  seeds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
};

export const LOCAL_GLOBAL_QUICK: LocalGlobalOptions = { ...LOCAL_GLOBAL_FULL, shots: 1000, steps: 15, seeds: [1, 2] };

/** The demo's RX angle: 3.0 rad, close to π, where p(0) = cos²(1.5) ≈ 0.005 per qubit. */
export const DEMO_RX = 3.0;

export interface LocalGlobalRun {
  cost: 'local' | 'global';
  start: string;
  seed: number | null;
  /** Sampled loss from telemetry at θ before each step. */
  sampledLoss: number[];
  /** Exact cost before the first step and after each step. */
  exactCost: number[];
  gradNorm: number[];
  /** Exact global cost 1 − p(0…0) at the final θ (for local-cost runs: did training the local cost move the global one?). */
  finalGlobalCost: number;
  stop: StopReason;
  shotsTotal: number;
}

export interface LocalGlobalResult {
  options: LocalGlobalOptions;
  runs: LocalGlobalRun[];
}

function config(opts: LocalGlobalOptions, cost: 'local' | 'global', start: Start): RunConfig {
  const paramCount = 2 * opts.qubits;
  // Loss + two shifted evaluations per parameter per step, plus one spare evaluation.
  const budget = opts.steps * (2 * paramCount + 2) * opts.shots;
  return parseConfig(
    {
      qubits: opts.qubits,
      layers: 1,
      ansatz: 'rxry-cnot',
      cost,
      seed: start.kind === 'uniform' ? start.seed : 1,
      init_range: start.kind === 'uniform' ? start.range : Math.PI,
      shots: { per_eval: opts.shots, budget },
      steps: opts.steps,
      optimizer: { name: 'sgd', lr: opts.lr, gradient: 'parameter-shift' },
    },
    `local-global ${cost}`,
  );
}

/** θ in the module's order: RX(q), RY(q) for q = 0…n−1. */
export function demoStart(qubits: number): number[] {
  return Array.from({ length: 2 * qubits }, (_, j) => (j % 2 === 0 ? DEMO_RX : 0));
}

function startLabel(start: Start): string {
  if (start.kind === 'demo') return 'demo start (RX=3, RY=0)';
  return start.range === Math.PI ? 'U[0, π)' : 'U[0, 2π)';
}

/** The run of one (cost, start): the demo start's θ₀ is written by the host (`init: "host"`, then θ). */
function jobOf(opts: LocalGlobalOptions, cost: 'local' | 'global', start: Start): TrainingJob & { start?: readonly number[] } {
  const base = config(opts, cost, start);
  return {
    // The start is part of the key: the demo start and U[0, π) with seed 1 share a config.
    key: JSON.stringify([base, start]),
    label: `${cost}/${startLabel(start)}${start.kind === 'uniform' ? `/seed=${start.seed}` : ''}`,
    ...(start.kind === 'demo' ? { config: { ...base, init: 'host' }, start: demoStart(opts.qubits) } : { config: base }),
  };
}

/** What the experiment keeps of a run: its losses, and the exact global cost at its final θ. */
async function keptRun(opts: LocalGlobalOptions, cost: 'local' | 'global', start: Start, run: FinishedRun): Promise<LocalGlobalRun> {
  const traj = run.trajectory;
  const probe = await openSession(config(opts, 'global', start), traj.finalTheta);
  return {
    cost,
    start: startLabel(start),
    seed: start.kind === 'uniform' ? start.seed : null,
    sampledLoss: traj.steps.map((s) => s.loss),
    exactCost: traj.exactLoss,
    gradNorm: traj.steps.map((s) => s.gradNorm),
    finalGlobalCost: probe.evaluate(0),
    stop: traj.stop,
    shotsTotal: traj.steps.at(-1)?.shotsTotal ?? 0,
  };
}

export function localGlobalStarts(opts: LocalGlobalOptions): Start[] {
  return [
    { kind: 'demo' },
    ...opts.seeds.map((seed): Start => ({ kind: 'uniform', range: Math.PI, seed })),
    ...opts.seeds.map((seed): Start => ({ kind: 'uniform', range: 2 * Math.PI, seed })),
  ];
}

/**
 * `finished`: runs are recorded there as they end, and runs it already holds are not run again (--resume).
 * `fleet`: the runs go to the fleet's workers (fleet-jobs.ts); without it, this process runs them one after the other.
 */
export async function runLocalGlobal(
  opts: LocalGlobalOptions,
  onProgress?: (done: number, total: number) => void,
  finished?: FinishedRuns<LocalGlobalRun>,
  fleet?: FleetJobsContext,
): Promise<LocalGlobalResult> {
  const planned = localGlobalStarts(opts).flatMap((start) => (['global', 'local'] as const).map((cost) => ({ cost, start })));
  const jobs = planned.map(({ cost, start }) => jobOf(opts, cost, start));
  const byKey = new Map(planned.map((p, i) => [jobs[i].key, p]));
  const convert = (job: TrainingJob, run: FinishedRun) => {
    const { cost, start } = byKey.get(job.key)!;
    return keptRun(opts, cost, start, run);
  };
  let done = 0;
  const runs = await runnerFor(fleet, finished, convert)(jobs, () => onProgress?.(++done, jobs.length));
  return { options: opts, runs };
}
