// Mean, sample variance, minimum and quantiles, with errors that name the problem.

export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('mean: no values');
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Math.min of the values (NaN if any is NaN) without spreading them, which overflows the call stack past ~100 000 values. */
export function minimum(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('minimum: no values');
  let min = Infinity;
  for (const v of values) {
    if (Number.isNaN(v)) return NaN;
    if (v < min) min = v;
  }
  return min;
}

/** Unbiased sample variance (divides by n − 1). */
export function sampleVariance(values: readonly number[]): number {
  if (values.length < 2) throw new RangeError(`sampleVariance: needs ≥ 2 values, got ${values.length}`);
  const m = mean(values);
  let ss = 0;
  for (const v of values) ss += (v - m) * (v - m);
  return ss / (values.length - 1);
}

/** Quantile by linear interpolation between order statistics (type 7, the R/NumPy default). */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('quantile: no values');
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile: p must be in [0, 1], got ${p}`);
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Median (the type-7 quantile at 1/2, i.e. the mean of the two middle values for even n). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median: no values');
  return quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}
