// Medians and paired ratios of interleaved timing samples.
import { quantile } from '../host/src/stats/descriptive.ts';
import { bootstrapCI } from '../host/src/stats/bootstrap.ts';

export interface TimeSummary {
  /** Seconds per step. */
  median: number;
  q1: number;
  q3: number;
  rounds: number;
}

export function summarize(perStep: readonly number[]): TimeSummary {
  const sorted = [...perStep].sort((a, b) => a - b);
  return { median: quantile(sorted, 0.5), q1: quantile(sorted, 0.25), q3: quantile(sorted, 0.75), rounds: sorted.length };
}

export function median(values: readonly number[]): number {
  return quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

export interface Ratio {
  /** Median over rounds of slower/faster measured in the same round. */
  median: number;
  /** 95 % percentile-bootstrap interval of that median (seeded, 2000 resamples). */
  low: number;
  high: number;
}

/** How many times `numerator`'s step time is `denominator`'s, paired round by round. */
export function pairedRatio(numerator: readonly number[], denominator: readonly number[]): Ratio {
  if (numerator.length !== denominator.length || numerator.length === 0) {
    throw new RangeError(`pairedRatio: needs equal, non-empty round counts, got ${numerator.length} and ${denominator.length}`);
  }
  const ratios = numerator.map((n, i) => n / denominator[i]);
  const ci = bootstrapCI(ratios, { resamples: 2000, level: 0.95, seed: 6, statistic: median });
  return { median: ci.estimate, low: ci.low, high: ci.high };
}
