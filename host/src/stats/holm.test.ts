// holmAdjust against statsmodels' Holm adjustment (reference values in wilcoxon-reference.json).
import { describe, expect, it } from 'vitest';
import { holmAdjust } from './holm.ts';
import reference from './wilcoxon-reference.json' with { type: 'json' };

describe('holmAdjust', () => {
  it('matches statsmodels multipletests(method="holm")', () => {
    const adjusted = holmAdjust(reference.holm.p);
    adjusted.forEach((p, i) => {
      expect(p).toBeCloseTo(reference.holm.adjusted[i], 12);
    });
  });

  it('is the identity for one test and refuses values outside [0, 1]', () => {
    expect(holmAdjust([0.03])).toEqual([0.03]);
    expect(holmAdjust([])).toEqual([]);
    expect(() => holmAdjust([0.1, 1.5])).toThrow(/p-value 1 must be in \[0, 1\], got 1.5/);
  });
});
