// The sweep's scheduler: hands each missing run to an idle executor that runs
// the sweep's module, collects its records through runTraining (RemoteTarget),
// and writes the run log once the run ended. A run whose executor vanished,
// was busy or lost telemetry goes back to the queue (at-least-once; the run id
// makes a late duplicate harmless: a finished id is never written again).
// Ctrl-C (signal) stops the running runs; they are not written, so --resume reruns them.
import { QiotError } from '../errors.ts';
import type { RunConfig } from '../config/schema.ts';
import type { RunLogRecord, RunStatus } from '../runlog/schema.ts';
import { runTraining } from '../train/run.ts';
import { ConfigRejectedError } from '../train/target.ts';
import type { FleetClient } from './client.ts';
import { FLEET } from './limits.ts';
import type { EXECUTOR_KINDS, OnlineStatus } from './messages.ts';
import { RemoteTarget, TelemetryLostError } from './remote-target.ts';

/** One run of a sweep: a unique id and its config. */
export interface SweepJob {
  id: string;
  config: RunConfig;
  /** θ₀ to start from instead of the one the config draws. */
  start?: readonly number[];
}

/** Where finished runs go (the sweep's folder, or an experiment's store); ids it has are not run. */
export interface SweepSink<J extends SweepJob, E extends { status: RunStatus }> {
  has(id: string): boolean;
  readonly finished: number;
  /** `trace`: θ₀ and θ after each step, when the sweep asked for it. */
  write(job: J, records: readonly RunLogRecord[], executor: string, trace: Float64Array | null): E | Promise<E>;
}

export interface SweepOptions<J extends SweepJob, E extends { status: RunStatus }> {
  client: FleetClient;
  runs: readonly J[];
  output: SweepSink<J, E>;
  /** Only executors running this module take runs. */
  moduleSha256: string;
  qiotVersion: string;
  signal: AbortSignal;
  /** With no usable executor for this long the sweep gives up (NoExecutorError). */
  waitMs: number;
  /** Ask every run for its θ trace (only workers give one, so only they are used). */
  trace?: boolean;
  onRunEnd?(entry: E, done: number, total: number): void;
  onNote?(text: string): void;
}

type ExecutorKind = (typeof EXECUTOR_KINDS)[number];

export interface SweepResult {
  completed: number;
  failed: number;
  interrupted: boolean;
  requeued: number;
  runsByExecutor: Map<string, number>;
}

export class NoExecutorError extends QiotError {
  constructor(message: string) {
    super(message, 'unreachable');
    this.name = 'NoExecutorError';
  }
}

/** A run that keeps failing for host-side reasons is written as failed after this many tries. */
const MAX_ATTEMPTS = FLEET.sweepMaxAttempts;

export async function runSweep<J extends SweepJob, E extends { status: RunStatus }>(opts: SweepOptions<J, E>): Promise<SweepResult> {
  const { client, output } = opts;
  const queue = opts.runs.filter((r) => !output.has(r.id));
  const total = opts.runs.length;
  /** Runs handed out and not finished; `onExecutor` counts them per executor. */
  const running = new Set<Promise<void>>();
  const onExecutor = new Map<string, number>();
  const attempts = new Map<string, number>();
  /** Executors that refused or dropped a run: skipped until their status changes. */
  const benched = new Set<string>();
  const result: SweepResult = { completed: 0, failed: 0, interrupted: false, requeued: 0, runsByExecutor: new Map() };
  const warned = new Set<string>();
  let wake: () => void = () => undefined;
  const wakeUp = () => wake();
  const unwatch = client.onStatus((s) => {
    benched.delete(s.id);
    wakeUp();
  });
  opts.signal.addEventListener('abort', wakeUp);
  let idleSince = Date.now();
  let waiting = false;

  const kinds: readonly ExecutorKind[] = opts.trace ? ['worker'] : ['board', 'worker'];
  const usable = (s: OnlineStatus) => {
    if (!kinds.includes(s.kind)) {
      if (!warned.has(s.id))
        opts.onNote?.(`${s.id} is a ${s.kind}: not used (these runs need θ after every step, which only workers report)`);
      warned.add(s.id);
      return false;
    }
    if (s.module_sha256 !== opts.moduleSha256) {
      if (!warned.has(s.id))
        opts.onNote?.(
          `${s.id} runs module ${s.module_sha256?.slice(0, 12) ?? '(none)'}, not the sweep's ${opts.moduleSha256.slice(0, 12)}: not used`,
        );
      warned.add(s.id);
      return false;
    }
    if (benched.has(s.id)) return false;
    const mine = onExecutor.get(s.id) ?? 0;
    // An idle executor takes a run; one running ours that keeps a next run (`next` in its status) takes a
    // second with `queue`, so it starts the moment the first ends instead of one hand-out round trip later.
    return mine === 0 ? s.busy === null : mine === 1 && s.next !== undefined;
  };

  const start = (run: J, executor: string) => {
    attempts.set(run.id, (attempts.get(run.id) ?? 0) + 1);
    const records: RunLogRecord[] = [];
    const keep = (onExecutor.get(executor) ?? 0) > 0;
    onExecutor.set(executor, (onExecutor.get(executor) ?? 0) + 1);
    const target = new RemoteTarget(client, executor, { queue: keep, trace: opts.trace, start: run.start });
    const job = runTraining(target, run.config, { qiotVersion: opts.qiotVersion, sinks: [(r) => records.push(r)], signal: opts.signal })
      .then(
        (res) => res.summary,
        (err) => {
          if (err instanceof ConfigRejectedError) return records.find((r) => r.type === 'summary') ?? null;
          throw err;
        },
      )
      .then(async (summary) => {
        if (opts.signal.aborted && summary?.status === 'interrupted') return; // not finished: --resume runs it
        const hostFailure = summary?.status === 'failed' && (target.lost !== null || lastErrorIsTransport(summary.error));
        if (output.has(run.id)) return; // a duplicate of a run finished elsewhere
        if (!summary || (hostFailure && (attempts.get(run.id) ?? 0) < MAX_ATTEMPTS)) {
          if (target.lost) benched.add(executor);
          opts.onNote?.(`${run.id}: ${summary?.error ?? 'no result'} — queued again`);
          result.requeued++;
          queue.unshift(run);
          return;
        }
        // A synchronous sink (the sweep folder) is not awaited: its count and this run's line stay together.
        const written = output.write(run, records, executor, target.trace);
        const entry = written instanceof Promise ? await written : written;
        if (entry.status === 'completed' || entry.status === 'budget_exhausted') result.completed++;
        else result.failed++;
        result.runsByExecutor.set(executor, (result.runsByExecutor.get(executor) ?? 0) + 1);
        opts.onRunEnd?.(entry, output.finished, total);
      })
      .finally(() => {
        running.delete(job);
        onExecutor.set(executor, (onExecutor.get(executor) ?? 1) - 1);
        wakeUp();
      });
    running.add(job);
  };

  try {
    while (queue.length > 0 || running.size > 0) {
      if (opts.signal.aborted) {
        result.interrupted = true;
        await Promise.allSettled(running.values());
        break;
      }
      // Idle executors first, then a second (queued) run for busy ones: a free executor never waits behind a prefetch.
      for (const second of [false, true]) {
        for (const s of client.online()) {
          if (queue.length === 0) break;
          if (usable(s) && (onExecutor.get(s.id) ?? 0) === (second ? 1 : 0)) start(queue.shift()!, s.id);
        }
      }
      if (running.size > 0) {
        idleSince = Date.now();
        waiting = false;
      } else if (queue.length > 0 && Date.now() - idleSince > opts.waitMs) {
        throw new NoExecutorError(
          `no executor took a run for ${Math.round(opts.waitMs / 1000)} s: ${describeFleet(client, opts.moduleSha256, kinds)}; start \`qiot worker\`${opts.trace ? '' : ' or `qiot gateway`'} on this broker`,
        );
      } else if (queue.length > 0 && !waiting && Date.now() - idleSince > FLEET.sweepWaitingNoteMs) {
        waiting = true;
        opts.onNote?.(
          `waiting for executors (${describeFleet(client, opts.moduleSha256, kinds)}); giving up after ${Math.round(opts.waitMs / 1000)} s`,
        );
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 1_000).unref();
      });
    }
  } finally {
    unwatch();
    opts.signal.removeEventListener('abort', wakeUp);
  }
  return result;
}

function lastErrorIsTransport(error: string | undefined): boolean {
  return error !== undefined && (error.includes(TelemetryLostError.name) || / never arrived$/.test(error));
}

function describeFleet(client: FleetClient, sha: string, kinds: readonly ExecutorKind[]): string {
  const online = client.online();
  if (online.length === 0) return 'no executor is online';
  const matching = online.filter((s) => s.module_sha256 === sha && kinds.includes(s.kind)).length;
  const what = kinds.length === 1 ? `${kinds[0]}s` : 'executors';
  return `${online.length} executor(s) online, ${matching} ${what} with the sweep's module ${sha.slice(0, 12)}`;
}
