// Statistics of the study: per-method medians and means with bootstrap intervals, and
// paired comparisons of every NLR variant with every non-NLR method (same seeds, same θ₀):
// win rate, median paired difference with a bootstrap interval, relative difference of
// the means (the paper's "x % lower loss"), Wilcoxon signed-rank p and Holm's adjustment
// over the whole family of comparisons of the study.
import { bootstrapCI, type BootstrapCI } from '../stats/bootstrap.ts';
import { mean, median } from '../stats/descriptive.ts';
import { holmAdjust } from '../stats/holm.ts';
import { pairedWilcoxon } from '../stats/wilcoxon.ts';
import { isNlr, type MethodName, type StudyLoss, type StudyTaskName } from './design.ts';
import type { RunMetrics } from './methods.ts';

export interface EvalRun extends RunMetrics {
  task: StudyTaskName;
  loss: StudyLoss;
  method: MethodName;
  seed: number;
}

export const SUMMARY_METRICS = ['trainLoss', 'testLoss', 'trainAccuracy', 'testAccuracy', 'msdLive', 'functionDistance'] as const;
export type SummaryMetric = (typeof SUMMARY_METRICS)[number];

export interface MethodSummary {
  task: StudyTaskName;
  loss: StudyLoss;
  method: MethodName;
  runs: number;
  numericRuns: number;
  negativeFraction: number;
  median: Record<SummaryMetric, BootstrapCI>;
  mean: Record<SummaryMetric, BootstrapCI>;
}

export interface Comparison {
  task: StudyTaskName;
  loss: StudyLoss;
  metric: 'trainLoss' | 'testLoss';
  nlr: MethodName;
  other: MethodName;
  wins: number;
  ties: number;
  losses: number;
  /** Median over seeds of (other − NLR): > 0 means NLR lower. */
  medianDifference: BootstrapCI;
  /** (mean other − mean NLR) / mean other, in %: > 0 means NLR lower on average. */
  meanLowerPct: number;
  p: number;
  pHolm: number;
}

export function summarise(runs: readonly EvalRun[], resamples: number): MethodSummary[] {
  const groups = new Map<string, EvalRun[]>();
  for (const r of runs) {
    const key = `${r.task}|${r.loss}|${r.method}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((g) => {
    const ci = (metric: SummaryMetric, statistic: (v: readonly number[]) => number) =>
      bootstrapCI(
        g.map((r) => r[metric]),
        { resamples, level: 0.95, seed: 7, statistic },
      );
    const by = (statistic: (v: readonly number[]) => number) =>
      Object.fromEntries(SUMMARY_METRICS.map((m) => [m, ci(m, statistic)])) as Record<SummaryMetric, BootstrapCI>;
    return {
      task: g[0].task,
      loss: g[0].loss,
      method: g[0].method,
      runs: g.length,
      numericRuns: g.filter((r) => r.numeric).length,
      negativeFraction: mean(g.map((r) => r.negativeFraction)),
      median: by(median),
      mean: by(mean),
    };
  });
}

function bySeed(runs: readonly EvalRun[], task: string, loss: string, method: MethodName): Map<number, EvalRun> {
  return new Map(runs.filter((r) => r.task === task && r.loss === loss && r.method === method).map((r) => [r.seed, r]));
}

export function compare(runs: readonly EvalRun[], resamples: number): Comparison[] {
  const out: Omit<Comparison, 'pHolm'>[] = [];
  const settings = new Set(runs.map((r) => `${r.task}|${r.loss}`));
  const methods = [...new Set(runs.map((r) => r.method))];
  for (const setting of settings) {
    const [task, loss] = setting.split('|') as [StudyTaskName, StudyLoss];
    for (const metric of ['trainLoss', 'testLoss'] as const) {
      for (const nlr of methods.filter(isNlr)) {
        for (const other of methods.filter((m) => !isNlr(m))) {
          const a = bySeed(runs, task, loss, nlr);
          const b = bySeed(runs, task, loss, other);
          const seeds = [...a.keys()].filter((s) => b.has(s)).sort((x, y) => x - y);
          if (seeds.length === 0) continue;
          const x = seeds.map((s) => a.get(s)![metric]);
          const y = seeds.map((s) => b.get(s)![metric]);
          const d = y.map((v, i) => v - x[i]);
          out.push({
            task,
            loss,
            metric,
            nlr,
            other,
            wins: d.filter((v) => v > 0).length,
            ties: d.filter((v) => v === 0).length,
            losses: d.filter((v) => v < 0).length,
            medianDifference: bootstrapCI(d, { resamples, level: 0.95, seed: 11, statistic: median }),
            meanLowerPct: (100 * (mean(y) - mean(x))) / mean(y),
            p: pairedWilcoxon(x, y).p,
          });
        }
      }
    }
  }
  const adjusted = holmAdjust(out.map((c) => c.p));
  return out.map((c, i) => ({ ...c, pHolm: adjusted[i] }));
}

/** Verdict of one comparison at family-wise α = 0.05 (Holm). */
export function verdict(c: Comparison): 'NLR lower' | 'NLR higher' | 'no detectable difference' {
  if (c.pHolm >= 0.05) return 'no detectable difference';
  return c.medianDifference.estimate > 0 ? 'NLR lower' : 'NLR higher';
}
