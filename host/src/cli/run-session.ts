// Runs one training with the CLI's outputs around it: the run log file, --json
// records on stdout, the progress bar when interactive, Ctrl-C handling (stop
// after the current step; the summary is still written), and the exit code of
// the run's status. Shared by `qiot sim` and `qiot train`.
import type { RunConfig } from '../config/schema.ts';
import type { RunStatus } from '../runlog/schema.ts';
import { checkRunLogFree } from '../runlog/paths.ts';
import { RunLogWriter } from '../runlog/writer.ts';
import type { MatchedPerturb } from '../schedule/matched-perturb.ts';
import type { ResumePlan } from '../train/resume.ts';
import { runTraining, type RecordSink, type RunResult } from '../train/run.ts';
import type { TrainingTarget } from '../train/target.ts';
import { summaryLine, TrainingProgress } from '../ui/progress.ts';
import { EXIT } from './exit-codes.ts';
import { QIOT_VERSION } from '../version.ts';

export interface SessionOptions {
  /** Run log path; the file is created only once the target accepted the config. */
  out?: string;
  /** Replace an existing run log at `out` (otherwise the run is refused before it starts). */
  force?: boolean;
  json?: boolean;
  chart?: boolean;
  label?: string;
  /** No progress bar, chart or summary line (stdout carries other machine-readable output). */
  quiet?: boolean;
  /** Shared across runs of one command (e.g. --compare), so one Ctrl-C stops them all. */
  signal?: AbortSignal;
  /** Go on with a logged run; without `out` (or with `out` = its path) its log is rewritten in place. */
  resume?: ResumePlan;
  /** `--match-perturb`: where optimizer.perturb came from (recorded in the header). */
  matchedPerturb?: MatchedPerturb;
}

export function exitCodeOfStatus(status: RunStatus): number {
  switch (status) {
    case 'completed':
    case 'budget_exhausted':
    case 'stopped':
      return EXIT.ok;
    case 'interrupted':
      return EXIT.interrupted;
    default:
      return EXIT.failed;
  }
}

/** Interactive output only when both streams are terminals and --json is off. */
export function isInteractive(json: boolean | undefined): boolean {
  return !json && Boolean(process.stdout.isTTY) && Boolean(process.stderr.isTTY);
}

/**
 * An AbortSignal fired by the first Ctrl-C (SIGINT) or SIGTERM: the run stops
 * after the current step and its summary is written. A second Ctrl-C ends the
 * process at once.
 */
export function interruptSignal(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const quitNow = () => process.exit(EXIT.interrupted);
  const onSignal = (name: NodeJS.Signals) => {
    // On a terminal: back to the start of the progress bar's line and clear it (and the
    // echoed ^C), so the message is a line of its own and the bar redraws below it.
    const clearLine = process.stderr.isTTY ? '\r\u001b[2K' : '\n';
    process.stderr.write(`${clearLine}qiot: ${name} — stopping after the current step (Ctrl-C again to quit now)\n`);
    controller.abort();
    dispose();
    process.once('SIGINT', quitNow);
  };
  const dispose = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return { signal: controller.signal, dispose };
}

export async function runSession(target: TrainingTarget, cfg: RunConfig, opts: SessionOptions): Promise<RunResult> {
  const interactive = !opts.quiet && isInteractive(opts.json);
  let writer: RunLogWriter | null = null;
  const sinks: RecordSink[] = [];
  const path = opts.out ?? opts.resume?.path;
  const inPlace = opts.resume !== undefined && path === opts.resume.path;
  if (path) {
    if (!inPlace) checkRunLogFree(path, opts.force ?? false);
    sinks.push((record) => {
      writer ??= new RunLogWriter(path, { replace: inPlace });
      writer.write(record);
    });
  }
  if (opts.json) sinks.push((record) => process.stdout.write(`${JSON.stringify(record)}\n`));
  const observer = interactive ? new TrainingProgress(process.stderr, { chart: opts.chart ?? true }) : undefined;
  try {
    const result = await runTraining(target, cfg, {
      qiotVersion: QIOT_VERSION,
      sinks,
      observer,
      label: opts.label,
      signal: opts.signal,
      resume: opts.resume,
      matchedPerturb: opts.matchedPerturb,
      onResumed: () => (writer as RunLogWriter | null)?.commit(),
    });
    if (!opts.json && !interactive && !opts.quiet)
      process.stdout.write(`${opts.label ?? cfg.optimizer.name}: ${summaryLine(result.summary)}\n`);
    if (result.summary.error) process.stderr.write(`qiot: run ${result.summary.status}: ${result.summary.error}\n`);
    return result;
  } finally {
    (writer as RunLogWriter | null)?.close();
  }
}
