// Runs the NLR comparison: the learning-rate sweep on tuning seeds, the choice
// of each contender's learning rate, then every contender (NLR variants and
// baselines) on the evaluation seeds with identical θ₀ per seed (checked) and
// the same shot budget.
import type { RunConfig } from '../config/schema.ts';
import { mean, minimum } from '../stats/descriptive.ts';
import { contendersOf, NLR_TASKS, nlrRunConfig, type ContenderName, type NlrOptions, type NlrTaskName } from './nlr-design.ts';
import type { FinishedRuns } from './finished-runs.ts';
import { type FleetJobsContext, runnerFor } from './fleet-jobs.ts';
import { type JobRunner, keepRun, type TrainingJob } from './jobs.ts';
import type { StopReason, Trajectory } from './trajectory.ts';

export interface SweepCell {
  task: NlrTaskName;
  contender: ContenderName;
  lr: number;
  /** Final exact training loss per tuning seed. */
  finalLosses: number[];
  meanFinalLoss: number;
  selected: boolean;
}

export interface EvaluationRun {
  task: NlrTaskName;
  contender: ContenderName;
  lr: number;
  seed: number;
  config: RunConfig;
  finalLoss: number;
  bestLoss: number;
  testLoss: number;
  testAccuracy: number;
  paramCount: number;
  wallTimeS: number;
  steps: number;
  shotsUsed: number;
  stop: StopReason;
  negativeFraction: number;
  trajectory: Trajectory;
}

export interface NlrResult {
  options: NlrOptions;
  sweep: SweepCell[];
  runs: EvaluationRun[];
  /** Every contender started from bit-identical θ₀ on each (task, seed). */
  pairedInitVerified: boolean;
}

/** The key of an nlr run in finished-runs.jsonl (the same for local and fleet runs, so either resumes the other). */
const jobOf = (config: RunConfig, maxSteps: number, label: string): TrainingJob => ({
  key: JSON.stringify([config, maxSteps]),
  label,
  config,
});

export type NlrProgress = (phase: 'sweep' | 'evaluation', done: number, total: number) => void;

/**
 * `finished`: runs are recorded there as they end, and runs it already holds are not run again (--resume).
 * `fleet`: the runs go to the fleet's workers (fleet-jobs.ts); without it, this process runs them one after the other.
 */
export async function runNlr(
  opts: NlrOptions,
  onProgress?: NlrProgress,
  finished?: FinishedRuns,
  fleet?: FleetJobsContext,
): Promise<NlrResult> {
  const runner = runnerFor(fleet, finished, keepRun);
  const sweep = await runSweep(opts, runner, onProgress);
  const contenders = contendersOf(opts);
  const planned = opts.tasks.flatMap((taskName) =>
    contenders.flatMap((contender) => {
      const lr = sweep.find((c) => c.task === taskName && c.contender === contender && c.selected)!.lr;
      return opts.evaluationSeeds.map((seed) => {
        const config = nlrRunConfig(NLR_TASKS[taskName], contender, lr, seed, opts.budgetScale, opts.maxSteps, opts.classificationLoss);
        return {
          taskName,
          contender,
          lr,
          seed,
          config,
          job: jobOf(config, opts.maxSteps, `${taskName}/${contender}/lr=${lr}/seed=${seed}`),
        };
      });
    }),
  );
  let done = 0;
  const outcomes = await runner(
    planned.map((p) => p.job),
    () => onProgress?.('evaluation', ++done, planned.length),
  );
  const runs: EvaluationRun[] = [];
  const theta0BySeed = new Map<string, Map<number, number[]>>();
  for (const [i, { taskName, contender, lr, seed, config }] of planned.entries()) {
    const { trajectory, finalLoss, testLoss, testAccuracy, paramCount, wallTimeS } = outcomes[i];
    if (!theta0BySeed.has(taskName)) theta0BySeed.set(taskName, new Map());
    checkPairedStart(theta0BySeed.get(taskName)!, taskName, contender, seed, trajectory.theta0);
    const steps = trajectory.steps;
    runs.push({
      task: taskName,
      contender,
      lr,
      seed,
      config,
      finalLoss,
      bestLoss: minimum(trajectory.exactLoss),
      testLoss,
      testAccuracy,
      paramCount,
      wallTimeS,
      steps: steps.length,
      shotsUsed: steps.at(-1)?.shotsTotal ?? 0,
      stop: trajectory.stop,
      negativeFraction: steps.length === 0 ? 0 : steps.filter((s) => s.phase === 1).length / steps.length,
      trajectory,
    });
  }
  return { options: opts, sweep, runs, pairedInitVerified: true };
}

function checkPairedStart(theta0BySeed: Map<number, number[]>, task: string, contender: string, seed: number, theta0: number[]): void {
  const first = theta0BySeed.get(seed);
  if (!first) {
    theta0BySeed.set(seed, theta0);
    return;
  }
  const same = first.length === theta0.length && first.every((v, i) => Object.is(v, theta0[i]));
  if (!same) {
    throw new Error(
      `nlr: ${task} seed ${seed}: ${contender} started from a different θ₀ than the first contender; the comparison would be unpaired`,
    );
  }
}

async function runSweep(opts: NlrOptions, runner: JobRunner, onProgress?: NlrProgress): Promise<SweepCell[]> {
  const contenders = contendersOf(opts);
  const planned = opts.tasks.flatMap((taskName) =>
    contenders.flatMap((contender) =>
      opts.learningRates.map((lr) => ({
        taskName,
        contender,
        lr,
        jobs: opts.tuningSeeds.map((seed) => {
          const config = nlrRunConfig(NLR_TASKS[taskName], contender, lr, seed, opts.budgetScale, opts.maxSteps, opts.classificationLoss);
          return jobOf(config, opts.maxSteps, `${taskName}/${contender}/lr=${lr}/tuning-seed=${seed}`);
        }),
      })),
    ),
  );
  const jobs = planned.flatMap((p) => p.jobs);
  let done = 0;
  const outcomes = await runner(jobs, () => onProgress?.('sweep', ++done, jobs.length));
  const cells: SweepCell[] = [];
  let at = 0;
  for (const { taskName, contender, lr, jobs: own } of planned) {
    const finalLosses = own.map(() => outcomes[at++].finalLoss);
    // A diverged run (NaN loss) disqualifies its learning rate.
    const meanFinalLoss = finalLosses.some((l) => !Number.isFinite(l)) ? Infinity : mean(finalLosses);
    cells.push({ task: taskName, contender, lr, finalLosses, meanFinalLoss, selected: false });
  }
  for (const taskName of opts.tasks)
    for (const contender of contenders) {
      const own = cells.filter((c) => c.task === taskName && c.contender === contender);
      own.reduce((a, b) => (b.meanFinalLoss < a.meanFinalLoss ? b : a)).selected = true;
    }
  return cells;
}
