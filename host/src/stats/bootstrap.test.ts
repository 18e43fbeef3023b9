import { describe, expect, it } from 'vitest';
import { bootstrapCI } from './bootstrap.ts';
import { mean, median } from './descriptive.ts';
import { seededRandom } from './random.ts';

describe('bootstrapCI', () => {
  it('covers the true mean of N(0,1) samples (n = 40) in 91%–97.5% of 600 replications', () => {
    // The percentile bootstrap under-covers slightly at this n (≈94% expected);
    // the binomial SD over 600 replications is ≈0.01, so the band is ≈ ±3 SD.
    const data = seededRandom(99);
    let covered = 0;
    const reps = 600;
    for (let r = 0; r < reps; r++) {
      const sample = Array.from({ length: 40 }, () => data.normal());
      const ci = bootstrapCI(sample, { resamples: 500, level: 0.95, seed: r });
      if (ci.low <= 0 && 0 <= ci.high) covered++;
    }
    expect(covered / reps).toBeGreaterThan(0.91);
    expect(covered / reps).toBeLessThan(0.975);
  });

  it('has width close to the normal-theory interval 2·1.96·s/√n', () => {
    const data = seededRandom(3);
    const sample = Array.from({ length: 200 }, () => 5 + 2 * data.normal());
    const ci = bootstrapCI(sample, { resamples: 4000, level: 0.95, seed: 1 });
    const m = mean(sample);
    const s = Math.sqrt(sample.reduce((a, v) => a + (v - m) ** 2, 0) / (sample.length - 1));
    const normalWidth = (2 * 1.959964 * s) / Math.sqrt(sample.length);
    expect(ci.estimate).toBe(m);
    expect(Math.abs(ci.high - ci.low - normalWidth) / normalWidth).toBeLessThan(0.1);
  });

  it('is reproducible for a seed and collapses on a constant sample', () => {
    const sample = [1, 4, 2, 8, 5, 7];
    const a = bootstrapCI(sample, { resamples: 300, level: 0.9, seed: 5 });
    const b = bootstrapCI(sample, { resamples: 300, level: 0.9, seed: 5 });
    expect(a).toEqual(b);
    const flat = bootstrapCI([3, 3, 3], { resamples: 100, level: 0.95, seed: 1 });
    expect([flat.low, flat.high]).toEqual([3, 3]);
  });

  it('rejects empty samples and too few resamples', () => {
    expect(() => bootstrapCI([], { resamples: 100, level: 0.95, seed: 1 })).toThrow(/no values/);
    expect(() => bootstrapCI([1], { resamples: 10, level: 0.95, seed: 1 })).toThrow(/resamples must be/);
  });
});

describe('bootstrapCI of the median', () => {
  it('covers the true median of Exp(1) samples (ln 2, n = 51) in 90%–98% of 400 replications', () => {
    // Percentile bootstrap of a median is conservative-to-nominal at this n; binomial SD ≈ 0.011.
    const data = seededRandom(17);
    let covered = 0;
    const reps = 400;
    for (let r = 0; r < reps; r++) {
      const sample = Array.from({ length: 51 }, () => -Math.log(1 - data.float()));
      const ci = bootstrapCI(sample, { resamples: 400, level: 0.95, seed: r, statistic: median });
      if (ci.low <= Math.LN2 && Math.LN2 <= ci.high) covered++;
    }
    expect(covered / reps).toBeGreaterThan(0.9);
    expect(covered / reps).toBeLessThan(0.98);
  });
});
