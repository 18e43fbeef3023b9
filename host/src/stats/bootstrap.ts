// Seeded percentile bootstrap confidence interval of a statistic (default: the mean).
import { mean, quantile } from './descriptive.ts';
import { seededRandom } from './random.ts';

export interface BootstrapOptions {
  /** Number of resamples; the experiments state the value they use. */
  resamples: number;
  level: number;
  seed: number;
  statistic?: (sample: readonly number[]) => number;
}

export interface BootstrapCI {
  estimate: number;
  low: number;
  high: number;
  level: number;
  resamples: number;
  /** Values the interval is over (1: the interval is meaningless, see fmtCI). */
  n?: number;
}

export const DEFAULT_BOOTSTRAP: BootstrapOptions = { resamples: 2000, level: 0.95, seed: 12345 };

export function bootstrapCI(values: readonly number[], options: BootstrapOptions = DEFAULT_BOOTSTRAP): BootstrapCI {
  const { resamples, level, seed } = options;
  const statistic = options.statistic ?? mean;
  if (values.length === 0) throw new RangeError('bootstrapCI: no values');
  if (!Number.isInteger(resamples) || resamples < 100) {
    throw new RangeError(`bootstrapCI: resamples must be an integer ≥ 100, got ${resamples}`);
  }
  if (!(level > 0 && level < 1)) throw new RangeError(`bootstrapCI: level must be in (0, 1), got ${level}`);
  const rng = seededRandom(seed);
  const n = values.length;
  const sample = new Array<number>(n);
  const stats = new Array<number>(resamples);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) sample[i] = values[rng.int(0, n - 1)];
    stats[r] = statistic(sample);
  }
  stats.sort((a, b) => a - b);
  const alpha = (1 - level) / 2;
  return {
    estimate: statistic(values),
    low: quantile(stats, alpha),
    high: quantile(stats, 1 - alpha),
    level,
    resamples,
    n,
  };
}
