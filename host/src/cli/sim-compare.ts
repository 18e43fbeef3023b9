// `qiot sim --compare`: the same config and seed under several optimizers.
// Each run gets a fresh module instance; the module draws θ₀ in init() from
// the seed before any optimizer-specific work, so all runs start from the same
// θ₀ — checked here byte for byte, and the run fails loudly if it ever is not.
import { join } from 'node:path';
import { loadConfig } from '../config/load.ts';
import type { Limits } from '../config/limits.ts';
import type { ConfigOverrides } from '../config/overrides.ts';
import type { SummaryRecord } from '../runlog/schema.ts';
import { ModuleTarget, type ModuleImage } from '../train/module-target.ts';
import { formatCount, formatLoss, formatPercent } from '../ui/format.ts';
import { formatTable } from '../ui/table.ts';
import { CliError, EXIT } from './exit-codes.ts';
import { exitCodeOfStatus, runSession } from './run-session.ts';

export interface CompareRow {
  optimizer: string;
  status: SummaryRecord['status'];
  initial_loss: number | null;
  final_loss: number | null;
  best_loss: number | null;
  mean_grad_norm: number | null;
  shots: number;
  test_accuracy: number | null;
}

interface CompareOptions {
  out?: string;
  force?: boolean;
  json?: boolean;
  chart: boolean;
  signal: AbortSignal;
  /** Capacities of the module the configs are checked against (default: the device build's). */
  limits?: Limits;
}

const sameBytes = (a: Float64Array, b: Float64Array) =>
  a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

export async function runComparison(
  image: ModuleImage,
  configPath: string,
  overrides: ConfigOverrides,
  optimizers: readonly string[],
  opts: CompareOptions,
): Promise<number> {
  const rows: CompareRow[] = [];
  let reference: { optimizer: string; theta: Float64Array } | null = null;
  let exitCode: number = EXIT.ok;
  for (const optimizer of optimizers) {
    if (opts.signal.aborted) break;
    const cfg = loadConfig(configPath, { ...overrides, optimizer }, opts.limits);
    const target = new ModuleTarget(image);
    const result = await runSession(target, cfg, {
      out: opts.out ? join(opts.out, `${optimizer}.jsonl`) : undefined,
      force: opts.force,
      json: false,
      quiet: opts.json,
      chart: opts.chart,
      label: optimizer,
      signal: opts.signal,
    });
    const theta = target.initialParameters();
    if (!reference) reference = { optimizer, theta };
    else if (!sameBytes(reference.theta, theta)) {
      throw new CliError(
        `initial parameters of '${optimizer}' differ from those of '${reference.optimizer}' for the same seed: the comparison would not be fair`,
        EXIT.failed,
      );
    }
    const s = result.summary;
    rows.push({
      optimizer,
      status: s.status,
      initial_loss: result.steps[0]?.loss ?? null,
      final_loss: s.final_loss,
      best_loss: s.best_loss,
      mean_grad_norm: s.mean_grad_norm,
      shots: s.shots_used,
      test_accuracy: s.test_accuracy,
    });
    const code = exitCodeOfStatus(s.status);
    if (code !== EXIT.ok) exitCode = code;
  }
  if (opts.json) {
    for (const row of rows) process.stdout.write(`${JSON.stringify(row)}\n`);
  } else {
    process.stdout.write(`${comparisonTable(rows)}\n`);
  }
  return exitCode;
}

export function comparisonTable(rows: readonly CompareRow[]): string {
  return formatTable(
    ['optimizer', 'initial loss', 'final loss', 'best loss', 'mean ‖g‖', 'shots', 'test accuracy', 'status'],
    rows.map((r) => [
      r.optimizer,
      formatLoss(r.initial_loss),
      formatLoss(r.final_loss),
      formatLoss(r.best_loss),
      formatLoss(r.mean_grad_norm),
      formatCount(r.shots),
      formatPercent(r.test_accuracy),
      r.status,
    ]),
  );
}
