// Runs the NLR comparison: the learning-rate sweep on tuning seeds, the choice
// of each contender's learning rate, then every contender (NLR variants and
// baselines) on the evaluation seeds with identical θ₀ per seed (checked) and
// the same shot budget.
import type { RunConfig } from '../config/schema.ts';
import { mean, minimum } from '../stats/descriptive.ts';
import { contendersOf, NLR_TASKS, nlrRunConfig, type ContenderName, type NlrOptions, type NlrTaskName } from './nlr-design.ts';
import { openSession } from './session.ts';
import type { FinishedRun, FinishedRuns } from './finished-runs.ts';
import { runTrajectory, type StopReason, type Trajectory } from './trajectory.ts';

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

type RunOutcome = FinishedRun;

/** A run of `config`: read back from `finished` when an earlier invocation ran it, else run now and recorded there. */
async function runOnce(config: RunConfig, maxSteps: number, finished?: FinishedRuns): Promise<RunOutcome> {
  const fresh = () => runFresh(config, maxSteps);
  return finished ? finished.getOrRun(JSON.stringify([config, maxSteps]), fresh) : fresh();
}

async function runFresh(config: RunConfig, maxSteps: number): Promise<RunOutcome> {
  const started = performance.now();
  const session = await openSession(config);
  const trajectory = runTrajectory(session, maxSteps);
  return {
    trajectory,
    finalLoss: session.evaluate(0),
    testLoss: session.evaluate(1),
    testAccuracy: session.accuracy(1),
    paramCount: session.paramCount,
    wallTimeS: (performance.now() - started) / 1000,
  };
}

export type NlrProgress = (phase: 'sweep' | 'evaluation', done: number, total: number) => void;

/** `finished`: runs are recorded there as they end, and runs it already holds are not run again (--resume). */
export async function runNlr(opts: NlrOptions, onProgress?: NlrProgress, finished?: FinishedRuns): Promise<NlrResult> {
  const sweep = await runSweep(opts, onProgress, finished);
  const runs: EvaluationRun[] = [];
  const contenders = contendersOf(opts);
  const total = opts.tasks.length * contenders.length * opts.evaluationSeeds.length;
  for (const taskName of opts.tasks) {
    const task = NLR_TASKS[taskName];
    const theta0BySeed = new Map<number, number[]>();
    for (const contender of contenders) {
      const lr = sweep.find((c) => c.task === taskName && c.contender === contender && c.selected)!.lr;
      for (const seed of opts.evaluationSeeds) {
        const config = nlrRunConfig(task, contender, lr, seed, opts.budgetScale, opts.maxSteps, opts.classificationLoss);
        const { trajectory, finalLoss, testLoss, testAccuracy, paramCount, wallTimeS } = await runOnce(config, opts.maxSteps, finished);
        checkPairedStart(theta0BySeed, taskName, contender, seed, trajectory.theta0);
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
        onProgress?.('evaluation', runs.length, total);
      }
    }
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

async function runSweep(opts: NlrOptions, onProgress?: NlrProgress, finished?: FinishedRuns): Promise<SweepCell[]> {
  const cells: SweepCell[] = [];
  const contenders = contendersOf(opts);
  const total = opts.tasks.length * contenders.length * opts.learningRates.length * opts.tuningSeeds.length;
  let done = 0;
  for (const taskName of opts.tasks) {
    const task = NLR_TASKS[taskName];
    for (const contender of contenders) {
      const own: SweepCell[] = [];
      for (const lr of opts.learningRates) {
        const finalLosses: number[] = [];
        for (const seed of opts.tuningSeeds) {
          const config = nlrRunConfig(task, contender, lr, seed, opts.budgetScale, opts.maxSteps, opts.classificationLoss);
          finalLosses.push((await runOnce(config, opts.maxSteps, finished)).finalLoss);
          onProgress?.('sweep', ++done, total);
        }
        // A diverged run (NaN loss) disqualifies its learning rate.
        const meanFinalLoss = finalLosses.some((l) => !Number.isFinite(l)) ? Infinity : mean(finalLosses);
        own.push({ task: taskName, contender, lr, finalLosses, meanFinalLoss, selected: false });
      }
      const best = own.reduce((a, b) => (b.meanFinalLoss < a.meanFinalLoss ? b : a));
      best.selected = true;
      cells.push(...own);
    }
  }
  return cells;
}
