// Resuming a run from its log (`qiot sim|train --resume RUN.jsonl`). The module
// cannot hand out its whole state (Adam moments, momentum, NLR phase, PRNG streams,
// mini-batch position, shot counter), but it is deterministic: the same module
// with the same config recomputes the logged steps bit for bit. A resume therefore
// runs the config again from step 1, checks every logged step's 64-byte telemetry
// record against the log, and only then goes on: the result is exactly the run
// that was never interrupted. The price is recomputing the k logged steps.
import type { RunConfig } from '../config/schema.ts';
import { QiotError } from '../errors.ts';
import type { RunLog } from '../runlog/reader.ts';
import type { StepRecord } from '../runlog/schema.ts';

export class ResumeError extends QiotError {
  constructor(path: string, detail: string, kind: 'invalid' | 'failed' = 'invalid') {
    super(`cannot resume ${path}: ${detail}`, kind);
    this.name = 'ResumeError';
  }
}

export interface ResumePlan {
  path: string;
  log: RunLog;
  /** The logged run's config, with its total steps replaced by `--steps` if given. */
  config: RunConfig;
  /** The logged steps, recomputed and checked before the run goes on. */
  replay: StepRecord[];
}

/** Statuses after which going on is meaningful: the run was cut short, or asked for more steps. */
const RESUMABLE = new Set(['completed', 'interrupted', 'stopped', 'failed']);

/** Checks that the logged run can go on for `totalSteps` (default: its config's) steps in all. */
export function planResume(path: string, log: RunLog, totalSteps?: number): ResumePlan {
  const config: RunConfig = { ...log.header.config, steps: totalSteps ?? log.header.config.steps };
  const done = log.steps.length;
  const last = log.steps.at(-1);
  if (last && last.step !== done) throw new ResumeError(path, `its steps are not numbered 1…${done} (step ${last.step} is record ${done})`);
  const status = log.summary?.status;
  if (status !== undefined && !RESUMABLE.has(status)) {
    throw new ResumeError(path, `the run ended with status '${status}'; going on would only repeat that`);
  }
  const schedule = log.header.config.schedule;
  if (schedule) {
    // Exact: the schedule is replayed from its first segment and checked step by step; but
    // its segments split the logged total, so a new total would change every one of them.
    if (totalSteps !== undefined && totalSteps !== log.header.config.steps) {
      throw new ResumeError(
        path,
        `it ran a ${schedule.kind} schedule, whose segments split its ${log.header.config.steps} steps: --steps ${totalSteps} would change every segment (run it again instead)`,
      );
    }
    if (status === 'completed' || status === 'budget_exhausted')
      throw new ResumeError(path, `its ${schedule.kind} schedule already ran to its end`);
  }
  if (last?.status === 'numeric') throw new ResumeError(path, `step ${last.step} ended numerically (NaN or ∞)`);
  if (config.steps !== 0 && config.steps <= done) {
    throw new ResumeError(
      path,
      `it already has ${done} of its ${config.steps} steps; pass --steps N with N > ${done} for the total number of steps`,
    );
  }
  return { path, log, config, replay: log.steps };
}

/** Throws unless the recomputed telemetry of logged step `record.step` is the logged one, bit for bit. */
export function checkReplayedStep(plan: ResumePlan, record: StepRecord, index: number): void {
  const logged = plan.replay[index]!;
  if (record.raw !== logged.raw) {
    throw new ResumeError(
      plan.path,
      `recomputing step ${logged.step} gave a different telemetry record than the log (loss ${record.loss} vs ${logged.loss}): ` +
        'the module, config or data differ from the logged run',
      'failed',
    );
  }
}
