// Paired Wilcoxon signed-rank test (two-sided) on a − b, through @stdlib/stats-wilcoxon:
// zero differences dropped (Wilcoxon's method); exact null distribution when n ≤ 50 and no
// ties; otherwise the normal approximation with the tie-corrected variance
// n(n+1)(2n+1)/24 − Σ(t³ − t)/48 and a continuity correction of 0.5 towards the mean.
import stdlibWilcoxon from '@stdlib/stats-wilcoxon';

export interface WilcoxonResult {
  /** Pairs with a non-zero difference (the test's n). */
  n: number;
  /** Sum of the ranks of the positive differences a − b. */
  wPlus: number;
  /** min(W+, W−): the statistic SciPy and R report for the two-sided test. */
  statistic: number;
  /** Two-sided p-value; 1 when every difference is zero (no evidence either way). */
  p: number;
  method: 'exact' | 'normal' | 'none';
}

export function pairedWilcoxon(a: readonly number[], b: readonly number[]): WilcoxonResult {
  if (a.length !== b.length) throw new RangeError(`pairedWilcoxon: a has ${a.length} values, b has ${b.length}`);
  a.forEach((v, i) => {
    if (!Number.isFinite(v) || !Number.isFinite(b[i])) {
      throw new RangeError(`pairedWilcoxon: pair ${i} is not finite (a=${v}, b=${b[i]})`);
    }
  });
  const d = a.map((v, i) => v - b[i]).filter((x) => x !== 0);
  const n = d.length;
  const total = (n * (n + 1)) / 2;
  if (n === 0) return { n, wPlus: 0, statistic: 0, p: 1, method: 'none' };
  if (n === 1) {
    // The library needs two values; with one non-zero difference the exact two-sided p is 1.
    const wPlus = d[0] > 0 ? 1 : 0;
    return { n, wPlus, statistic: Math.min(wPlus, 1 - wPlus), p: 1, method: 'exact' };
  }
  const ties = new Set(d.map(Math.abs)).size !== n;
  const out = stdlibWilcoxon(d, { zeroMethod: 'wilcox', correction: true, alternative: 'two-sided' });
  const wPlus = out.statistic;
  return {
    n,
    wPlus,
    statistic: Math.min(wPlus, total - wPlus),
    p: Math.min(1, out.pValue),
    method: n <= 50 && !ties ? 'exact' : 'normal',
  };
}
