// Run logs (JSON Lines, runlog/) reduced to the series the report plots.
import { basename } from 'node:path';
import type { RunLog } from '../runlog/reader.ts';
import { minimum } from '../stats/descriptive.ts';

export interface RunSeries {
  /** One run: its file name or seed. */
  label: string;
  /** Runs with the same group are averaged together (same task, optimizer and learning rate). */
  group: string;
  optimizer: string;
  /** Telemetry loss (mini-batch, at θ before each step). */
  loss: number[];
  gradNorm: number[];
  shotsTotal: number[];
  /** 0 = positive (descent), 1 = negative (ascent) per step. */
  phases: number[];
  /** Mini-batch loss of the last step (the run log's `final_loss`). */
  lastMiniBatchLoss: number | null;
  /** Lowest mini-batch loss of any step. */
  bestMiniBatchLoss: number | null;
  /** Exact loss over the whole training set at the final θ (null: the run did not finish). */
  trainLoss: number | null;
  testLoss: number | null;
  testAccuracy: number | null;
  shotsUsed: number;
}

const num = (v: number | null) => (v === null ? NaN : v);

/** Group key: everything that should be equal between runs averaged together (all but the seed). */
export function groupOf(log: RunLog): string {
  const c = log.header.config;
  const data = c.dataset.name === 'none' ? '' : ` ${c.dataset.name}`;
  const method = c.optimizer.name === 'nlr' ? `nlr-${c.optimizer.nlr.mode}` : c.optimizer.name;
  const s = c.schedule;
  const schedule = !s ? '' : s.kind === 'layerwise' ? ` layerwise×${s.groups}${s.final_phase ? '+final' : ''}` : ` restarts×${s.count}`;
  const perturb = c.optimizer.perturb > 0 ? ` perturb=${c.optimizer.perturb.toPrecision(3)}` : '';
  return `${method}${schedule} lr=${c.optimizer.lr}${perturb} ${c.cost}${data} n=${c.qubits}`;
}

export function seriesFromRunLog(log: RunLog, path: string): RunSeries {
  const steps = log.steps.filter((s) => s.status === 'ok' || s.status === 'numeric');
  const losses = steps.map((s) => num(s.loss));
  return {
    label: `${basename(path)} (seed ${log.header.config.seed})`,
    group: groupOf(log),
    optimizer: log.header.config.optimizer.name,
    loss: losses,
    gradNorm: steps.map((s) => num(s.grad_norm)),
    shotsTotal: steps.map((s) => s.shots_total),
    phases: steps.map((s) => (s.phase === '-' ? 1 : 0)),
    lastMiniBatchLoss: log.summary?.final_loss ?? losses.at(-1) ?? null,
    bestMiniBatchLoss: log.summary?.best_loss ?? (losses.length ? minimum(losses) : null),
    trainLoss: log.summary?.train_loss ?? null,
    testLoss: log.summary?.test_loss ?? null,
    testAccuracy: log.summary?.test_accuracy ?? null,
    shotsUsed: steps.at(-1)?.shots_total ?? 0,
  };
}
