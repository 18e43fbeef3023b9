// Ordinary least squares y = a + b·x with a t-distribution confidence interval
// for the slope, and the semilog fit ln Var = a + b·n used for barren plateaus.
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

export interface LinearFit {
  slope: number;
  intercept: number;
  /** Standard error of the slope: s / √Sxx with s² = RSS / (n − 2). */
  slopeStdErr: number;
  /** Two-sided confidence interval of the slope from Student's t with n − 2 degrees of freedom. */
  slopeCI: [number, number];
  level: number;
  n: number;
  rSquared: number;
}

export function linearFit(x: readonly number[], y: readonly number[], level = 0.95): LinearFit {
  if (x.length !== y.length) throw new RangeError(`linearFit: x has ${x.length} values, y has ${y.length}`);
  const n = x.length;
  if (n < 3) throw new RangeError(`linearFit: needs ≥ 3 points for a slope CI, got ${n}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`linearFit: level must be in (0, 1), got ${level}`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) {
      throw new RangeError(`linearFit: point ${i} is not finite (x=${x[i]}, y=${y[i]})`);
    }
  }
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i] - mx) ** 2;
    sxy += (x[i] - mx) * (y[i] - my);
    syy += (y[i] - my) ** 2;
  }
  if (sxx === 0) throw new RangeError('linearFit: all x values are equal');
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const rss = Math.max(0, syy - slope * sxy);
  const slopeStdErr = Math.sqrt(rss / (n - 2) / sxx);
  const t = tQuantile(1 - (1 - level) / 2, n - 2);
  return {
    slope,
    intercept,
    slopeStdErr,
    slopeCI: [slope - t * slopeStdErr, slope + t * slopeStdErr],
    level,
    n,
    rSquared: syy === 0 ? 1 : 1 - rss / syy,
  };
}

export interface SemilogFit extends LinearFit {
  /** Var(n+1)/Var(n) implied by the slope: e^slope. */
  factorPerQubit: number;
}

/** Fits ln(values) against x; every value must be > 0. */
export function semilogFit(x: readonly number[], values: readonly number[], level = 0.95): SemilogFit {
  values.forEach((v, i) => {
    if (!(v > 0)) throw new RangeError(`semilogFit: value ${i} must be > 0 to take its logarithm, got ${v}`);
  });
  const fit = linearFit(x, values.map(Math.log), level);
  return { ...fit, factorPerQubit: Math.exp(fit.slope) };
}
