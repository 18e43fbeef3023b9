// Summaries of the NLR comparison: bootstrap intervals of the per-run metrics,
// paired win rates of each NLR variant against each baseline, and the curves
// for the figures.
import { bootstrapCI, type BootstrapCI, type BootstrapOptions } from '../stats/bootstrap.ts';
import { pairedWinRate, type WinRate } from '../stats/paired.ts';
import type { BandPoint } from '../report/charts.ts';
import { curveBands } from '../report/curve-bands.ts';
import { contendersOf, isNlrContender, type BaselineName, type ContenderName, type NlrTaskName } from './nlr-design.ts';
import type { EvaluationRun, NlrResult } from './nlr.ts';

export interface ContenderSummary {
  task: NlrTaskName;
  contender: ContenderName;
  lr: number;
  seeds: number;
  finalLoss: BootstrapCI;
  bestLoss: BootstrapCI;
  /** Null for tasks without a test split (the plateau task). */
  testAccuracy: BootstrapCI | null;
  meanGradNorm: BootstrapCI;
  /** ‖θ_end − θ₀‖² at the end of the run (every run ends at the same shot budget). */
  finalMsd: BootstrapCI;
  meanSteps: number;
  meanShots: number;
  negativeFraction: number;
}

export interface NlrComparison {
  task: NlrTaskName;
  /** The NLR variant compared. */
  nlr: ContenderName;
  baseline: BaselineName;
  /** Fraction of seeds where the NLR variant's final loss < the baseline's. */
  winRate: WinRate;
  /** (mean baseline − mean NLR) / mean baseline · 100: positive when NLR is lower. */
  relativeImprovementPct: number;
  /** Bootstrap interval of the mean paired difference baseline − NLR variant of the final loss. */
  pairedDifference: BootstrapCI;
}

export interface NlrCurves {
  task: NlrTaskName;
  contender: ContenderName;
  /** Exact training loss, gradient norm and MSD against shots used (the common budget axis). */
  loss: BandPoint[];
  gradNorm: BandPoint[];
  msd: BandPoint[];
}

export function bootstrapSettings(result: NlrResult, seed: number): BootstrapOptions {
  return { resamples: result.options.bootstrapResamples, level: 0.95, seed };
}

function runsOf(result: NlrResult, task: NlrTaskName, contender: ContenderName): EvaluationRun[] {
  return result.runs.filter((r) => r.task === task && r.contender === contender);
}

export function summarize(result: NlrResult): ContenderSummary[] {
  const boot = bootstrapSettings(result, 777);
  return result.options.tasks.flatMap((task) =>
    contendersOf(result.options).map((contender) => {
      const runs = runsOf(result, task, contender);
      const accuracies = runs.map((r) => r.testAccuracy);
      const gradMeans = runs.map((r) => {
        const g = r.trajectory.steps.map((s) => s.gradNorm).filter(Number.isFinite);
        return g.length === 0 ? 0 : g.reduce((a, b) => a + b, 0) / g.length;
      });
      return {
        task,
        contender,
        lr: runs[0].lr,
        seeds: runs.length,
        finalLoss: bootstrapCI(
          runs.map((r) => r.finalLoss),
          boot,
        ),
        bestLoss: bootstrapCI(
          runs.map((r) => r.bestLoss),
          boot,
        ),
        testAccuracy: accuracies.every(Number.isFinite) ? bootstrapCI(accuracies, boot) : null,
        meanGradNorm: bootstrapCI(gradMeans, boot),
        finalMsd: bootstrapCI(
          runs.map((r) => r.trajectory.squaredDisplacement.at(-1) ?? 0),
          boot,
        ),
        meanSteps: runs.reduce((a, r) => a + r.steps, 0) / runs.length,
        meanShots: runs.reduce((a, r) => a + r.shotsUsed, 0) / runs.length,
        negativeFraction: runs.reduce((a, r) => a + r.negativeFraction, 0) / runs.length,
      };
    }),
  );
}

/** Every NLR variant against every baseline, per task (NLR variants in the outer order). */
export function compareWithBaselines(result: NlrResult): NlrComparison[] {
  const boot = bootstrapSettings(result, 991);
  const variants = contendersOf(result.options).filter(isNlrContender);
  return result.options.tasks.flatMap((task) =>
    variants.flatMap((variant) => {
      const nlr = new Map(runsOf(result, task, variant).map((r) => [r.seed, r.finalLoss]));
      return result.options.baselines.map((baseline) => {
        const base = new Map(runsOf(result, task, baseline).map((r) => [r.seed, r.finalLoss]));
        const diffs = [...nlr.keys()].map((seed) => base.get(seed)! - nlr.get(seed)!);
        const meanBase = [...base.values()].reduce((a, b) => a + b, 0) / base.size;
        const meanNlr = [...nlr.values()].reduce((a, b) => a + b, 0) / nlr.size;
        return {
          task,
          nlr: variant,
          baseline,
          winRate: pairedWinRate(nlr, base),
          relativeImprovementPct: ((meanBase - meanNlr) / meanBase) * 100,
          pairedDifference: bootstrapCI(diffs, boot),
        };
      });
    }),
  );
}

export function curves(result: NlrResult): NlrCurves[] {
  // Per-step bands use at most 500 resamples: thousands of steps × seeds would otherwise dominate the run time.
  const boot = { ...bootstrapSettings(result, 4242), resamples: Math.min(500, result.options.bootstrapResamples) };
  return result.options.tasks.flatMap((task) =>
    contendersOf(result.options).map((contender) => {
      const runs = runsOf(result, task, contender);
      // Step t of every run of one contender costs the same shots, so shots_total aligns by step.
      const shotsAt = (t: number) => runs.find((r) => r.trajectory.steps.length > t)!.trajectory.steps[t].shotsTotal;
      const atShots = (points: BandPoint[]) => points.map((p) => ({ ...p, x: shotsAt(p.x - 1) }));
      const lossBands = atShots(
        curveBands(
          runs.map((r) => r.trajectory.exactLoss.slice(1)),
          boot,
        ),
      );
      const initial = curveBands(
        runs.map((r) => [r.trajectory.exactLoss[0]]),
        boot,
      ).map((p) => ({ ...p, x: 0 }));
      return {
        task,
        contender,
        loss: [...initial, ...lossBands],
        gradNorm: atShots(
          curveBands(
            runs.map((r) => r.trajectory.steps.map((s) => s.gradNorm)),
            boot,
          ),
        ),
        msd: atShots(
          curveBands(
            runs.map((r) => r.trajectory.squaredDisplacement),
            boot,
          ),
        ),
      };
    }),
  );
}
