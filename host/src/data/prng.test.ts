import { describe, expect, it } from 'vitest';
import { SplitMix64 } from './prng.ts';

describe('SplitMix64', () => {
  it('matches the published reference outputs', () => {
    // Reference sequences of Vigna's splitmix64.c (seed 0 and seed 1234567).
    const zero = new SplitMix64(0);
    expect([zero.nextU64(), zero.nextU64(), zero.nextU64()]).toEqual([0xe220a8397b1dcdafn, 0x6e789e6aa1b965f4n, 0x06c45d188009454fn]);
    const other = new SplitMix64(1234567);
    expect([other.nextU64(), other.nextU64(), other.nextU64()]).toEqual([6457827717110365317n, 3203168211198807973n, 9817491932198370423n]);
  });

  it('draws uniform doubles and standard normals with the right moments', () => {
    const rng = new SplitMix64(42);
    const n = 20_000;
    const u = Array.from({ length: n }, () => rng.nextDouble());
    const g = Array.from({ length: n }, () => rng.nextGaussian());
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    const variance = (a: number[]) => {
      const m = mean(a);
      return mean(a.map((v) => (v - m) ** 2));
    };
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    // 4σ bounds: σ(mean of U) = √(1/12/n), σ(mean of N) = √(1/n), σ(var of N) ≈ √(2/n).
    expect(Math.abs(mean(u) - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(mean(g))).toBeLessThan(4 * Math.sqrt(1 / n));
    expect(Math.abs(variance(g) - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
  });

  it('shuffles into a permutation that depends on the seed only', () => {
    const base = Array.from({ length: 50 }, (_, i) => i);
    const a = new SplitMix64(7).shuffle([...base]);
    const b = new SplitMix64(7).shuffle([...base]);
    const c = new SplitMix64(8).shuffle([...base]);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect([...a].sort((x, y) => x - y)).toEqual(base);
  });

  it('draws every value below n about equally often', () => {
    const rng = new SplitMix64(3);
    const counts = new Array(6).fill(0);
    const n = 60_000;
    for (let i = 0; i < n; i++) counts[rng.nextBelow(6)]++;
    // Chi-square with 5 degrees of freedom: P(χ² > 20.5) ≈ 0.001.
    const expected = n / 6;
    const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(20.5);
  });
});
