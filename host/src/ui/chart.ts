// Terminal loss chart (asciichart). Long runs are reduced to at most `width`
// columns by averaging consecutive steps, so a 10 000-step run still fits.
import asciichart from 'asciichart';

export const CHART_SIZE = {
  /** Columns of curve; with the 11-character axis labels this fits an 80-column terminal. */
  width: 64,
  /** Rows of curve. */
  height: 12,
} as const;

/** Averages `values` into at most `width` buckets of (nearly) equal size. */
export function downsample(values: readonly number[], width: number): number[] {
  if (values.length <= width) return [...values];
  const out: number[] = [];
  for (let b = 0; b < width; b++) {
    const from = Math.floor((b * values.length) / width);
    const to = Math.floor(((b + 1) * values.length) / width);
    let sum = 0;
    for (let i = from; i < to; i++) sum += values[i]!;
    out.push(sum / (to - from));
  }
  return out;
}

/** The chart as text, or null when there is nothing finite to draw. */
export function lossChart(losses: readonly (number | null)[], size: { width: number; height: number } = CHART_SIZE): string | null {
  const finite = losses.filter((v): v is number => v !== null && Number.isFinite(v));
  if (finite.length === 0) return null;
  const series = downsample(finite, size.width);
  const digits = Math.max(...series.map(Math.abs)) < 0.01 ? 6 : 4;
  return asciichart.plot(series, {
    height: size.height,
    format: (x) => x.toFixed(digits).padStart(11),
  });
}
