// A run's telemetry as columns, fed from run logs and live telemetry alike,
// and the shapes the charts draw: several runs on one step axis, and a sweep's
// runs grouped by optimizer as median and interquartile band.
import { quantile } from '../../stats/descriptive.ts';

export interface StepPoint {
  step: number;
  loss: number | null;
  trialLoss: number | null;
  gradNorm: number | null;
  shotsTotal: number;
  negative: boolean;
}

export type Field = 'loss' | 'trialLoss' | 'gradNorm' | 'shotsTotal';

/** Steps by step number (1-based): a record that arrives twice (backfill overlapping live data) is stored once. */
export class RunSeries {
  private readonly points: (StepPoint | undefined)[] = [];
  private count = 0;
  version = 0;

  add(p: StepPoint): void {
    if (!(p.step >= 1) || this.points[p.step - 1]) return;
    this.points[p.step - 1] = p;
    this.count++;
    this.version++;
  }

  /** Highest step seen (the chart's extent); 0 when empty. */
  get lastStep(): number {
    return this.points.length;
  }

  /** Steps held; less than lastStep while a gap waits for its backfill. */
  get size(): number {
    return this.count;
  }

  last(): StepPoint | undefined {
    return this.points[this.points.length - 1];
  }

  at(step: number): StepPoint | undefined {
    return this.points[step - 1];
  }

  values(field: Field): (number | null)[] {
    return Array.from(this.points, (p) => (p ? p[field] : null));
  }

  negativeSteps(): number[] {
    const out: number[] = [];
    this.points.forEach((p, i) => {
      if (p?.negative) out.push(i + 1);
    });
    return out;
  }
}

/** Step numbers to draw for runs reaching `lastStep`: all of them, or an even thinning (always keeping the last). */
export function stepAxis(lastStep: number, maxPoints: number): number[] {
  const stride = Math.max(1, Math.ceil(lastStep / maxPoints));
  const xs: number[] = [];
  for (let s = 1; s <= lastStep; s += stride) xs.push(s);
  if (lastStep > 0 && xs[xs.length - 1] !== lastStep) xs.push(lastStep);
  return xs;
}

/** Columns for one chart: x = step, then per run its `field`, then per `markers` run its negative-phase steps (the value there, else null). */
export function overlay(
  runs: readonly RunSeries[],
  field: Field,
  maxPoints: number,
  markers: readonly RunSeries[] = [],
): (number | null)[][] {
  const xs = stepAxis(Math.max(0, ...runs.map((r) => r.lastStep)), maxPoints);
  const cols: (number | null)[][] = [xs];
  for (const r of runs) cols.push(xs.map((s) => r.at(s)?.[field] ?? null));
  for (const r of markers) {
    cols.push(
      xs.map((s) => {
        const p = r.at(s);
        return p?.negative ? (p[field] ?? null) : null;
      }),
    );
  }
  return cols;
}

export interface Band {
  group: string;
  runs: number;
  median: (number | null)[];
  low: (number | null)[];
  high: (number | null)[];
}

/** Per group and step: median and 25–75 % quantiles over the runs that reached that step. */
export function bands(groups: ReadonlyMap<string, readonly RunSeries[]>, field: Field, xs: readonly number[]): Band[] {
  const out: Band[] = [];
  for (const [group, runs] of groups) {
    const band: Band = { group, runs: runs.length, median: [], low: [], high: [] };
    for (const s of xs) {
      const vals = runs
        .map((r) => r.at(s)?.[field])
        .filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
        .sort((a, b) => a - b);
      band.median.push(vals.length ? quantile(vals, 0.5) : null);
      band.low.push(vals.length ? quantile(vals, 0.25) : null);
      band.high.push(vals.length ? quantile(vals, 0.75) : null);
    }
    out.push(band);
  }
  return out;
}
