// `qiot sim --compare`: the same config under several optimizers, over one or more
// seeds (--seeds). Every run of a seed starts from the same θ₀ — checked byte for
// byte (the module draws θ₀ from the seed before any optimizer-specific work).
// Sampled configs are compared at equal shot budgets: each run trains until the
// budget is spent, whatever its shots per step (SPSA spends ~2 circuits per step,
// parameter-shift 2 per parameter); exact configs (no shots) at equal steps.
// Writes one run log per run and overlay figures (mean and 95% bootstrap band
// across seeds, x = shots when sampled) in the --out directory. The runs are tasks of a
// WorkerPool (--workers, default every core; 1 = one after another in this process):
// the same files either way, but for wall times.
import { join } from 'node:path';
import { loadConfig } from '../config/load.ts';
import type { Limits } from '../config/limits.ts';
import type { ConfigOverrides } from '../config/overrides.ts';
import { reportRuns } from '../report/run-report.ts';
import { seriesFromRunLog } from '../report/run-series.ts';
import type { SummaryRecord } from '../runlog/schema.ts';
import { median, quantile } from '../stats/descriptive.ts';
import type { ModuleImage } from '../train/module-target.ts';
import { defaultWorkerCount, mapTasks, WorkerPool } from '../pool/pool.ts';
import { MODULE_EXTENSION } from '../package-root.ts';
import { checkRunLogFree } from '../runlog/paths.ts';
import { summaryLine } from '../ui/progress.ts';
import { formatCount, formatLoss, formatPercent } from '../ui/format.ts';
import { formatTable } from '../ui/table.ts';
import { CliError, EXIT } from './exit-codes.ts';
import { exitCodeOfStatus } from './run-session.ts';
import { type CompareRunResult, type CompareRunTask, type PooledCompareRun, runCompareRun } from './sim-compare-run.ts';

export interface CompareRow {
  optimizer: string;
  seed: number;
  status: SummaryRecord['status'];
  steps: number;
  initial_loss: number | null;
  last_minibatch_loss: number | null;
  best_minibatch_loss: number | null;
  train_loss: number | null;
  test_accuracy: number | null;
  mean_grad_norm: number | null;
  shots: number;
}

interface CompareOptions {
  out: string;
  seeds: readonly number[];
  force?: boolean;
  json?: boolean;
  chart: boolean;
  signal: AbortSignal;
  /** Worker threads for the runs (default: every core); 1 runs them one after another in this process. */
  workers?: number;
  /** Capacities of the module the configs are checked against (default: the device build's). */
  limits?: Limits;
}

const sameBytes = (a: Float64Array, b: Float64Array) =>
  a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

/** What is held equal between the optimizers, for the run overrides and the heading. */
export function comparisonBasis(
  configPath: string,
  overrides: ConfigOverrides,
  limits?: Limits,
): { runOverrides: ConfigOverrides; basis: string } {
  const cfg = loadConfig(configPath, overrides, limits);
  if (cfg.shots.per_eval === 0) {
    return { runOverrides: overrides, basis: `exact expectations (no shots): compared at equal steps (${cfg.steps || 'until Ctrl-C'})` };
  }
  // Until the budget is spent: --steps, when given, only caps a run.
  return {
    runOverrides: { ...overrides, steps: overrides.steps ?? 0 },
    basis: `compared at equal shot budgets: ${formatCount(cfg.shots.budget)} shots per run`,
  };
}

export async function runComparison(
  image: ModuleImage,
  configPath: string,
  overrides: ConfigOverrides,
  optimizers: readonly string[],
  opts: CompareOptions,
): Promise<number> {
  const { runOverrides, basis } = comparisonBasis(configPath, overrides, opts.limits);
  if (!opts.json) process.stderr.write(`qiot: ${basis}; ${opts.seeds.length} seed(s)\n`);
  const many = opts.seeds.length > 1;
  const tasks: CompareRunTask[] = opts.seeds.flatMap((seed) =>
    optimizers.map((optimizer) => ({
      image,
      configPath,
      overrides: runOverrides,
      limits: opts.limits,
      optimizer,
      seed,
      out: join(opts.out, many ? `${optimizer}-s${seed}.jsonl` : `${optimizer}.jsonl`),
      force: opts.force,
      label: many ? `${optimizer} seed ${seed}` : optimizer,
    })),
  );
  // Every run's config and log path checked before any starts (a worker's error would lose its exit code).
  for (const t of tasks) {
    loadConfig(configPath, { ...runOverrides, optimizer: t.optimizer, seed: t.seed }, opts.limits);
    checkRunLogFree(t.out, opts.force ?? false);
  }
  const workers = Math.min(opts.workers ?? defaultWorkerCount(), tasks.length);
  const results = workers > 1 ? await runPooled(tasks, workers, opts) : await runInProcess(tasks, opts);

  const rows: CompareRow[] = [];
  const logs: string[] = [];
  const reference = new Map<number, { optimizer: string; theta: Float64Array }>();
  let exitCode: number = EXIT.ok;
  tasks.forEach((task, i) => {
    const result = results[i];
    if (!result) return; // not started: Ctrl-C came first
    const { optimizer, seed } = task;
    logs.push(task.out);
    const first = reference.get(seed);
    if (!first) reference.set(seed, { optimizer, theta: result.theta });
    else if (!sameBytes(first.theta, result.theta)) {
      throw new CliError(
        `initial parameters of '${optimizer}' differ from those of '${first.optimizer}' for seed ${seed}: the comparison would not be fair`,
        EXIT.failed,
      );
    }
    const s = result.summary;
    rows.push({
      optimizer,
      seed,
      status: s.status,
      steps: s.steps,
      initial_loss: result.initialLoss,
      last_minibatch_loss: s.final_loss,
      best_minibatch_loss: s.best_loss,
      train_loss: s.train_loss,
      test_accuracy: s.test_accuracy,
      mean_grad_norm: s.mean_grad_norm,
      shots: s.shots_used,
    });
    const code = exitCodeOfStatus(s.status);
    if (code !== EXIT.ok) exitCode = code;
  });
  const figures = await overlayFigures(logs, opts.out, basis);
  if (opts.json) {
    for (const row of rows) process.stdout.write(`${JSON.stringify(row)}\n`);
  } else {
    process.stdout.write(`${comparisonTable(rows)}\n`);
    if (opts.seeds.length > 1) process.stdout.write(`\n${seedSummaryTable(rows)}\n`);
    process.stdout.write(`${basis}; figures: ${figures.join(', ')}\n`);
  }
  return exitCode;
}

/** One after another in this process (--workers 1): the progress bar when interactive, as `qiot sim`. */
async function runInProcess(tasks: readonly CompareRunTask[], opts: CompareOptions): Promise<(CompareRunResult | null)[]> {
  const results: (CompareRunResult | null)[] = [];
  for (const task of tasks) {
    if (opts.signal.aborted) results.push(null);
    else results.push(await runCompareRun(task, { quiet: opts.json, chart: opts.chart && opts.seeds.length === 1, signal: opts.signal }));
  }
  return results;
}

/** On a WorkerPool: each run one task, a summary line as each one ends; results in task order. */
async function runPooled(tasks: readonly CompareRunTask[], workers: number, opts: CompareOptions): Promise<(CompareRunResult | null)[]> {
  const stop = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  const onAbort = () => Atomics.store(new Int32Array(stop), 0, 1);
  opts.signal.addEventListener('abort', onAbort, { once: true });
  if (opts.signal.aborted) onAbort();
  if (!opts.json) process.stderr.write(`qiot: ${tasks.length} runs on ${workers} worker threads\n`);
  const pool = new WorkerPool<PooledCompareRun, CompareRunResult | null>(
    new URL(`./sim-compare-run${MODULE_EXTENSION}`, import.meta.url),
    workers,
  );
  try {
    return await mapTasks(tasks, (task) =>
      pool.run({ ...task, stop }).then((result) => {
        if (result && !opts.json) process.stdout.write(`${task.label}: ${summaryLine(result.summary)}\n`);
        return result;
      }),
    );
  } finally {
    opts.signal.removeEventListener('abort', onAbort);
    await pool.close();
  }
}

/** Loss and gradient-norm curves of every optimizer on one figure, band across seeds. */
async function overlayFigures(logs: readonly string[], out: string, basis: string): Promise<string[]> {
  const { readRunLog } = await import('../runlog/reader.ts');
  const series = logs.map((path) => ({ path, log: readRunLog(path) })).filter(({ log }) => log.steps.length > 0);
  if (series.length === 0) return [];
  const withOptimizerGroups = series.map(({ path, log }) => ({ ...seriesFromRunLog(log, path), group: log.header.config.optimizer.name }));
  const files = await reportRuns(withOptimizerGroups, out, { prefix: 'compare-', title: `optimizers, ${basis}` });
  return [...files.figures.filter((f) => f.endsWith('.svg')), files.markdown];
}

export function comparisonTable(rows: readonly CompareRow[]): string {
  return formatTable(
    ['optimizer', 'seed', 'steps', 'shots', 'initial loss', 'last mini-batch loss', 'exact train loss', 'test accuracy', 'status'],
    rows.map((r) => [
      r.optimizer,
      String(r.seed),
      formatCount(r.steps),
      formatCount(r.shots),
      formatLoss(r.initial_loss),
      formatLoss(r.last_minibatch_loss),
      formatLoss(r.train_loss),
      formatPercent(r.test_accuracy),
      r.status,
    ]),
  );
}

/** Median and interquartile range across seeds, per optimizer. */
export function seedSummaryTable(rows: readonly CompareRow[]): string {
  const spread = (values: (number | null)[], format: (v: number) => string) => {
    const v = values.filter((x): x is number => x !== null && Number.isFinite(x)).sort((a, b) => a - b);
    if (v.length === 0) return '—';
    if (v.length === 1) return `${format(v[0])} (n = 1, no interval)`;
    return `${format(median(v))} [${format(quantile(v, 0.25))}, ${format(quantile(v, 0.75))}]`;
  };
  const optimizers = [...new Set(rows.map((r) => r.optimizer))];
  return formatTable(
    ['optimizer', 'seeds', 'exact train loss, median [IQR]', 'test accuracy, median [IQR]', 'shots, median'],
    optimizers.map((name) => {
      const own = rows.filter((r) => r.optimizer === name);
      return [
        name,
        String(own.length),
        spread(
          own.map((r) => r.train_loss),
          formatLoss,
        ),
        spread(
          own.map((r) => r.test_accuracy),
          formatPercent,
        ),
        formatCount(median(own.map((r) => r.shots))),
      ];
    }),
  );
}
