// pairedWilcoxon against fixed reference values computed with SciPy (wilcoxon-reference.json
// names the version and the call).
import { describe, expect, it } from 'vitest';
import reference from './wilcoxon-reference.json' with { type: 'json' };
import { pairedWilcoxon } from './wilcoxon.ts';

describe('pairedWilcoxon', () => {
  for (const c of reference.wilcoxon) {
    it(`matches SciPy on ${c.name}`, () => {
      const r = pairedWilcoxon(c.a, c.b);
      expect(r.method).toBe(c.method === 'exact' ? 'exact' : 'normal');
      expect(r.statistic).toBe(c.statistic);
      expect(r.p).toBeCloseTo(c.p, 10);
      // W+ and W− swap when a and b swap; the two-sided p does not change.
      const swapped = pairedWilcoxon(c.b, c.a);
      expect(swapped.wPlus).toBe((r.n * (r.n + 1)) / 2 - r.wPlus);
      expect(swapped.p).toBeCloseTo(r.p, 12);
    });
  }

  it('gives p = 1 when every pair is tied and refuses unequal or non-finite input', () => {
    expect(pairedWilcoxon([1, 2, 3], [1, 2, 3])).toEqual({ n: 0, wPlus: 0, statistic: 0, p: 1, method: 'none' });
    expect(() => pairedWilcoxon([1, 2], [1])).toThrow(/a has 2 values, b has 1/);
    expect(() => pairedWilcoxon([1, NaN], [1, 2])).toThrow(/pair 1 is not finite/);
  });
});
