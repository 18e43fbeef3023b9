// An experiment's training runs on the fleet (`qiot experiment … --broker`): each
// job is a run of the sweep path (fleet/sweep-run.ts: one job per idle worker,
// re-queued when its executor dies), asked for its θ trace. What the local run
// measures between steps — the exact training loss and ‖θ_t − θ₀‖² — is
// evaluated here from the returned θ of every step, and the final losses from
// the final θ, with the same module build: the result equals the local run's.
import { QiotError } from '../errors.ts';
import type { FleetClient } from '../fleet/client.ts';
import { runSweep, type SweepSink } from '../fleet/sweep-run.ts';
import type { RunLogRecord, RunStatus, StepRecord, SummaryRecord } from '../runlog/schema.ts';
import { decodeTelemetry } from '../wasm/telemetry.ts';
import type { FinishedRun, FinishedRuns } from './finished-runs.ts';
import { type JobRunner, localRunner, type RunConverter, type TrainingJob } from './jobs.ts';
import { openSession, type StepOutcome } from './session.ts';
import { STATUS, type StopReason, type Trajectory } from './trajectory.ts';

export interface FleetJobsContext {
  client: FleetClient;
  /** The module build the experiment evaluates with; only workers running it take jobs. */
  moduleSha256: string;
  qiotVersion: string;
  signal: AbortSignal;
  /** No worker taking a job for this long: the experiment gives up (exit 3). */
  waitMs: number;
  onNote?(text: string): void;
}

/** Run statuses an experiment keeps (what a local run also ends with). */
const KEPT: Partial<Record<RunStatus, StopReason>> = { completed: 'steps', budget_exhausted: 'budget', numeric: 'numeric' };

type Job = TrainingJob & { id: string };

/** The runner of an experiment: the fleet's when `fleet` is given, else this process. */
export function runnerFor<T>(
  fleet: FleetJobsContext | undefined,
  finished: FinishedRuns<T> | undefined,
  convert: RunConverter<T>,
): JobRunner<T> {
  return fleet ? fleetRunner(fleet, finished, convert) : localRunner(finished, convert);
}

export function fleetRunner<T>(ctx: FleetJobsContext, finished: FinishedRuns<T> | undefined, convert: RunConverter<T>): JobRunner<T> {
  return async (jobs, onRunDone) => {
    const results = new Map<string, T>();
    for (const job of jobs) {
      const done = finished?.get(job.key);
      if (done !== undefined && !results.has(job.key)) {
        results.set(job.key, done);
        onRunDone();
      }
    }
    const pending = new Map<string, Job>();
    for (const job of jobs) if (!results.has(job.key) && !pending.has(job.key)) pending.set(job.key, { ...job, id: job.label });
    const keyOf = new Map([...pending.values()].map((j) => [j.id, j.key]));
    const failures: string[] = [];
    const sink: SweepSink<Job, { status: RunStatus }> = {
      has: (id) => results.has(keyOf.get(id) ?? ''),
      get finished() {
        return results.size;
      },
      write: async (job, records, executor, trace) => {
        const summary = records.find((r): r is SummaryRecord => r.type === 'summary');
        const status = summary?.status ?? 'failed';
        try {
          if (!KEPT[status] || !summary) throw new Error(`${status}${summary?.error ? `: ${summary.error}` : ''}`);
          if (!trace) throw new Error('no θ trace in the reply');
          const run = await convert(job, await rebuildRun(job, records, summary, trace));
          finished?.add(job.key, run);
          results.set(job.key, run);
          onRunDone();
        } catch (err) {
          failures.push(`${job.label} on ${executor}: ${(err as Error).message}`);
        }
        return { status };
      },
    };
    const outcome = await runSweep({
      client: ctx.client,
      runs: [...pending.values()],
      output: sink,
      moduleSha256: ctx.moduleSha256,
      qiotVersion: ctx.qiotVersion,
      signal: ctx.signal,
      waitMs: ctx.waitMs,
      trace: true,
      onNote: ctx.onNote,
    });
    if (outcome.interrupted)
      throw new QiotError(
        `interrupted: ${results.size} of this phase's ${jobs.length} runs are finished${finished ? ` (all finished runs are kept in ${finished.path}; --resume runs the others)` : ''}`,
        'interrupted',
      );
    if (failures.length > 0) throw new QiotError(`${failures.length} run(s) failed on the fleet: ${failures.join('; ')}`, 'failed');
    return jobs.map((j) => results.get(j.key)!);
  };
}

/**
 * The run as runLocally (jobs.ts) measures it, from the executor's telemetry and θ trace:
 * θ₀ must be the one this host's module draws for the config (same module, same config).
 */
export async function rebuildRun(
  job: TrainingJob,
  records: readonly RunLogRecord[],
  summary: SummaryRecord,
  trace: Float64Array,
): Promise<FinishedRun> {
  const started = performance.now();
  const session = await openSession(job.config, job.start);
  const p = session.paramCount;
  const steps: StepOutcome[] = records
    .filter((r): r is StepRecord => r.type === 'step')
    .map((r) => {
      const raw = new Uint8Array(Buffer.from(r.raw, 'hex'));
      return { ...decodeTelemetry(raw), raw };
    });
  if (trace.length !== (steps.length + 1) * p)
    throw new Error(`θ trace of ${trace.length} values, expected (${steps.length} steps + 1) × ${p} parameters`);
  const row = (t: number) => trace.subarray(t * p, (t + 1) * p);
  const theta0 = Array.from(row(0));
  const own = session.params();
  if (!theta0.every((v, j) => Object.is(v, own[j])))
    throw new Error("θ₀ differs from the one this host's module starts from for the config: not the same module or config");
  const exactAt = (t: number) => {
    session.setParams(row(t));
    return session.evaluate(0);
  };
  // As runTrajectory: after a NUMERIC step neither the loss nor the displacement is taken.
  const measured = steps.length - (steps.at(-1)?.status === STATUS.numeric ? 1 : 0);
  const exactLoss = [exactAt(0)];
  const squaredDisplacement: number[] = [];
  for (let t = 1; t <= measured; t++) {
    exactLoss.push(exactAt(t));
    const theta = row(t);
    let d2 = 0;
    for (let j = 0; j < theta.length; j++) d2 += (theta[j] - theta0[j]) ** 2;
    squaredDisplacement.push(d2);
  }
  const finalTheta = Array.from(row(steps.length));
  const trajectory: Trajectory = { steps, exactLoss, squaredDisplacement, theta0, finalTheta, stop: KEPT[summary.status]! };
  session.setParams(finalTheta);
  return {
    trajectory,
    finalLoss: session.evaluate(0),
    testLoss: session.evaluate(1),
    testAccuracy: session.accuracy(1),
    paramCount: p,
    wallTimeS: summary.wall_time_s + (performance.now() - started) / 1000,
  };
}
