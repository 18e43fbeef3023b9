import { describe, expect, it } from 'vitest';
import { curveBands, thin } from './curve-bands.ts';

const BOOT = { resamples: 500, level: 0.95, seed: 1 };

describe('curveBands', () => {
  it('averages runs step by step and brackets the mean', () => {
    const bands = curveBands(
      [
        [1, 2, 3],
        [3, 4, 5],
        [2, 3, 7],
      ],
      BOOT,
    );
    expect(bands.map((b) => b.mean)).toEqual([2, 3, 5]);
    for (const b of bands) {
      expect(b.low).toBeLessThanOrEqual(b.mean);
      expect(b.high).toBeGreaterThanOrEqual(b.mean);
    }
    // A bootstrap mean of 3 values cannot leave [min, max].
    expect(bands[2].low).toBeGreaterThanOrEqual(3);
    expect(bands[2].high).toBeLessThanOrEqual(7);
  });

  it('counts only the runs that reached a step', () => {
    const bands = curveBands([[1, 1], [3]], BOOT);
    expect(bands).toHaveLength(2);
    expect(bands[0].mean).toBe(2);
    expect(bands[1]).toEqual({ x: 2, mean: 1, low: 1, high: 1 });
  });
});

describe('thin', () => {
  it('keeps every k-th point and the last', () => {
    const kept = thin([...Array(10).keys()], 4);
    expect(kept).toEqual([0, 3, 6, 9]);
    expect(thin([1, 2], 5)).toEqual([1, 2]);
  });
});
