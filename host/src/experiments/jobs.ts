// The training runs of an experiment as a list of jobs, and who runs them: this
// process one after the other (localRunner), or the fleet's workers in parallel
// (fleet-jobs.ts). Either way every finished run goes into the experiment's
// FinishedRuns as it ends, and runs already there are not run again (--resume).
import type { RunConfig } from '../config/schema.ts';
import type { FinishedRun, FinishedRuns } from './finished-runs.ts';
import { openSession } from './session.ts';
import { runTrajectory } from './trajectory.ts';

export interface TrainingJob {
  /** The run's key in finished-runs.jsonl. */
  key: string;
  /** Unique among the jobs of one call; names the run in messages. */
  label: string;
  /** `config.steps` is the step cap of the run. */
  config: RunConfig;
  /** θ₀ instead of the one the config draws (with `init: "host"` in the config, it draws none). */
  start?: readonly number[];
}

/** Runs (or reads back) every job; the results (each a FinishedRun, or what the experiment keeps of it) in job order. */
export type JobRunner<T = FinishedRun> = (jobs: readonly TrainingJob[], onRunDone: () => void) => Promise<T[]>;

/** What an experiment keeps of a run (stored in its FinishedRuns); nlr keeps the run itself. */
export type RunConverter<T> = (job: TrainingJob, run: FinishedRun) => T | Promise<T>;

export const keepRun: RunConverter<FinishedRun> = (_job, run) => run;

/** One run in this process, step by step: the exact training loss and θ after every step. */
export async function runLocally(config: RunConfig, start?: readonly number[]): Promise<FinishedRun> {
  const started = performance.now();
  const session = await openSession(config, start);
  const trajectory = runTrajectory(session, config.steps);
  return {
    trajectory,
    finalLoss: session.evaluate(0),
    testLoss: session.evaluate(1),
    testAccuracy: session.accuracy(1),
    paramCount: session.paramCount,
    wallTimeS: (performance.now() - started) / 1000,
  };
}

/** The jobs one after the other in this process. */
export function localRunner<T>(finished: FinishedRuns<T> | undefined, convert: RunConverter<T>): JobRunner<T> {
  return async (jobs, onRunDone) => {
    const out: T[] = [];
    for (const job of jobs) {
      const fresh = async () => convert(job, await runLocally(job.config, job.start));
      out.push(await (finished ? finished.getOrRun(job.key, fresh) : fresh()));
      onRunDone();
    }
    return out;
  };
}
