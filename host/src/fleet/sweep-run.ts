// A sweep's train runs (`qiot sweep`, an experiment's traced runs): the scheduler
// (scheduler.ts) hands each missing run to an executor that runs the sweep's module;
// this collects its records through runTraining (RemoteTarget) and writes the run
// log once the run ended. A run whose executor vanished,
// was busy or lost telemetry goes back to the queue (at-least-once; the run id
// makes a late duplicate harmless: a finished id is never written again).
// Ctrl-C (signal) stops the running runs; they are not written, so --resume reruns them.
import type { RunConfig } from '../config/schema.ts';
import { QiotError } from '../errors.ts';
import type { RunLogRecord, RunStatus } from '../runlog/schema.ts';
import { runTraining } from '../train/run.ts';
import { ConfigRejectedError } from '../train/target.ts';
import { segmentStarts } from '../schedule/plan.ts';
import { StartParamsLimitError } from '../train/segmented-run.ts';
import type { CommandSealer } from './auth.ts';
import type { FleetClient } from './client.ts';
import { FLEET } from './limits.ts';
import type { EXECUTOR_KINDS } from './messages.ts';
import { RemoteTarget, TelemetryLostError } from './remote-target.ts';
import { Scheduler } from './scheduler.ts';

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
  /** Seals the runs on provisioned boards (the owner's key); without it such boards are not used. */
  sealer?: CommandSealer;
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

/** Runs are left and every executor that could take them refused the sweep's key (UNAUTHENTICATED). */
export class KeyRefusedError extends QiotError {
  constructor(message: string) {
    super(message, 'failed');
    this.name = 'KeyRefusedError';
  }
}

/** A run that keeps failing for host-side reasons is written as failed after this many tries. */
const MAX_ATTEMPTS = FLEET.sweepMaxAttempts;
const MAX_RESTARTS = FLEET.sweepMaxRestarts;

export async function runSweep<J extends SweepJob, E extends { status: RunStatus }>(opts: SweepOptions<J, E>): Promise<SweepResult> {
  const { client, output } = opts;
  const total = opts.runs.length;
  const result: SweepResult = { completed: 0, failed: 0, interrupted: false, requeued: 0, runsByExecutor: new Map() };
  const kinds: readonly ExecutorKind[] = opts.trace ? ['worker'] : ['board', 'worker'];
  /** Provisioned boards that refused the sweep's key, and their refusal: not used again by this sweep. */
  const refusedKey = new Map<string, string>();
  /** Runs whose board restarted under them, and how often (an executor fault, re-run up to MAX_RESTARTS times). */
  const restarts = new Map<J, number>();
  /** Per run: the θ size each segment starts from (segmentStarts), computed once. */
  const starts = new Map<string, number[]>();
  const startsOf = (run: J) => starts.get(run.id) ?? starts.set(run.id, segmentStarts(run.config)).get(run.id)!;
  /** Running scheduled runs whose later segments are still to be sent: their executor takes no other run meanwhile. */
  const midRun = new Map<RemoteTarget, { executor: string; segments: number }>();

  const start = async (run: J, executor: string, keep: boolean) => {
    const target = new RemoteTarget(client, executor, { queue: keep, trace: opts.trace, start: run.start, sealer: opts.sealer });
    const segments = startsOf(run).length;
    if (segments > 1) midRun.set(target, { executor, segments });
    try {
      await finish(run, executor, target);
    } finally {
      midRun.delete(target);
    }
  };

  const finish = async (run: J, executor: string, target: RemoteTarget) => {
    const records: RunLogRecord[] = [];
    const summary = await runTraining(target, run.config, {
      qiotVersion: opts.qiotVersion,
      sinks: [(r) => records.push(r)],
      signal: opts.signal,
    }).then(
      (res) => res.summary,
      (err) => {
        // Refused before anything ran (the module, or the start θ the executor takes): the run log says why.
        if (err instanceof ConfigRejectedError || err instanceof StartParamsLimitError)
          return records.find((r) => r.type === 'summary') ?? null;
        throw err;
      },
    );
    if (opts.signal.aborted && summary?.status === 'interrupted') return; // not finished: --resume runs it
    if (target.unauthenticated) {
      // The key, not the run: nothing is written (--resume with the right key runs it), the board is not used again.
      refusedKey.set(executor, target.unauthenticated.message.replace(`${executor}: `, ''));
      scheduler.again(run);
      return;
    }
    const hostFailure = summary?.status === 'failed' && (target.lost !== null || lastErrorIsTransport(summary.error));
    if (output.has(run.id)) return; // a duplicate of a run finished elsewhere
    const restarted = target.restarted !== null ? (restarts.get(run) ?? 0) + 1 : 0;
    if (restarted > 0) restarts.set(run, restarted);
    if (!summary || (hostFailure && scheduler.attempts(run) < MAX_ATTEMPTS) || (restarted > 0 && restarted < MAX_RESTARTS)) {
      if (target.lost) scheduler.bench(executor);
      const again = restarted > 0 ? ` (board restart ${restarted}; at ${MAX_RESTARTS} the run fails)` : '';
      opts.onNote?.(`${run.id}: ${summary?.error ?? 'no result'} — queued again${again}`);
      result.requeued++;
      scheduler.again(run);
      return;
    }
    if (restarted >= MAX_RESTARTS && summary.status === 'failed')
      summary.error = `${summary.error}; its board restarted during this run ${restarted} times, so the run is taken for the cause and not run again`;
    // A synchronous sink (the sweep folder) is not awaited: its count and this run's line stay together.
    const written = output.write(run, records, executor, target.trace);
    const entry = written instanceof Promise ? await written : written;
    if (entry.status === 'completed' || entry.status === 'budget_exhausted') result.completed++;
    else result.failed++;
    result.runsByExecutor.set(executor, (result.runsByExecutor.get(executor) ?? 0) + 1);
    opts.onRunEnd?.(entry, output.finished, total);
  };

  const scheduler: Scheduler<J> = new Scheduler<J>({
    client,
    signal: opts.signal,
    waitMs: opts.waitMs,
    onNote: opts.onNote,
    unfit: (s) => {
      if (!kinds.includes(s.kind))
        return `${s.id} is a ${s.kind}: not used (these runs need θ after every step, which only workers report)`;
      if (s.module_sha256 !== opts.moduleSha256)
        return `${s.id} runs module ${s.module_sha256?.slice(0, 12) ?? '(none)'}, not the sweep's ${opts.moduleSha256.slice(0, 12)}: not used`;
      if (s.provisioned && !opts.sealer)
        return `${s.id} is a provisioned board (it obeys only commands sealed with its owner's key) and this sweep has no key: not used`;
      const refused = refusedKey.get(s.id);
      if (refused !== undefined) return `${s.id} refused this sweep's key (${refused}): not used`;
      return null;
    },
    // Refused keys are final: with no other executor able to take the runs, waiting for --wait would not help.
    giveUp: (fit) =>
      refusedKey.size > 0 && !fit
        ? new KeyRefusedError(
            `${scheduler.waiting} run(s) not run: ${[...refusedKey].map(([id, why]) => `${id} refused the key (${why})`).join('; ')}, and no other executor can take them; nothing was written for them: run again with the board's key and --resume`,
          )
        : null,
    describe: () => describeFleet(client, opts.moduleSha256, kinds, opts.sealer !== undefined),
    remedy: `\`qiot worker\`${opts.trace ? '' : ' or `qiot gateway`'}`,
    // A layerwise run goes where its largest start θ fits (a board takes what one TRAIN_START frame holds).
    fits: (run, s) => Math.max(...startsOf(run)) <= (s.max_start_params ?? Infinity),
    reserved: (id) => [...midRun].some(([t, m]) => m.executor === id && t.trains < m.segments),
    start,
  });
  scheduler.add(...opts.runs.filter((r) => !output.has(r.id)));
  result.interrupted = await scheduler.drain();
  return result;
}

function lastErrorIsTransport(error: string | undefined): boolean {
  return error !== undefined && (error.includes(TelemetryLostError.name) || / never arrived$/.test(error));
}

function describeFleet(client: FleetClient, sha: string, kinds: readonly ExecutorKind[], sealed: boolean): string {
  const online = client.online();
  if (online.length === 0) return 'no executor is online';
  const matching = online.filter((s) => s.module_sha256 === sha && kinds.includes(s.kind));
  const what = kinds.length === 1 ? `${kinds[0]}s` : 'executors';
  const locked = sealed ? 0 : matching.filter((s) => s.provisioned).length;
  return `${online.length} executor(s) online, ${matching.length} ${what} with the sweep's module ${sha.slice(0, 12)}${locked > 0 ? ` (${locked} of them provisioned board(s), not used without the key: --key or $QIOT_KEY)` : ''}`;
}
