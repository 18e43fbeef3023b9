// Per-step mean and bootstrap interval across several runs of one series.
import { bootstrapCI, type BootstrapOptions } from '../stats/bootstrap.ts';
import type { BandPoint } from './charts.ts';

/**
 * `runs[r][t]` is the value of run r after step t+1. Steps are aligned by index;
 * a step counts only the runs that reached it (runs may stop early on a shot budget).
 */
export function curveBands(runs: readonly (readonly number[])[], bootstrap: BootstrapOptions): BandPoint[] {
  const longest = Math.max(0, ...runs.map((r) => r.length));
  const points: BandPoint[] = [];
  for (let t = 0; t < longest; t++) {
    const values = runs.filter((r) => t < r.length && Number.isFinite(r[t])).map((r) => r[t]);
    if (values.length === 0) continue;
    if (values.length === 1) {
      points.push({ x: t + 1, mean: values[0], low: values[0], high: values[0] });
      continue;
    }
    const ci = bootstrapCI(values, { ...bootstrap, seed: bootstrap.seed + t });
    points.push({ x: t + 1, mean: ci.estimate, low: ci.low, high: ci.high });
  }
  return points;
}

/** Keeps at most `maxPoints` evenly spaced points (always the last) so long runs stay readable. */
export function thin<T>(points: readonly T[], maxPoints: number): T[] {
  if (points.length <= maxPoints) return [...points];
  const stride = Math.ceil(points.length / maxPoints);
  const kept = points.filter((_, i) => i % stride === 0);
  if (kept[kept.length - 1] !== points[points.length - 1]) kept.push(points[points.length - 1]);
  return kept;
}
