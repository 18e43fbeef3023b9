import { describe, expect, it } from 'vitest';
import { linearFit, semilogFit } from './regression.ts';
import { seededRandom } from './random.ts';

describe('linearFit', () => {
  it('matches the closed-form least-squares values worked by hand', () => {
    // x̄ = 3, ȳ = 4, Sxx = 10, Sxy = 6, Syy = 6, RSS = 2.4, s² = 0.8, SE = √0.08.
    const fit = linearFit([1, 2, 3, 4, 5], [2, 4, 5, 4, 5]);
    expect(fit.slope).toBeCloseTo(0.6, 12);
    expect(fit.intercept).toBeCloseTo(2.2, 12);
    expect(fit.slopeStdErr).toBeCloseTo(Math.sqrt(0.08), 12);
    expect(fit.rSquared).toBeCloseTo(0.6, 12);
    // t(0.975, 3 dof) = 3.182446305284263 (statistical tables).
    const half = 3.182446305284263 * Math.sqrt(0.08);
    expect(fit.slopeCI[0]).toBeCloseTo(0.6 - half, 9);
    expect(fit.slopeCI[1]).toBeCloseTo(0.6 + half, 9);
  });

  it('has a zero-width interval on an exact line', () => {
    const fit = linearFit([0, 1, 2, 3], [1, -1, -3, -5]);
    expect(fit.slope).toBeCloseTo(-2, 12);
    expect(fit.slopeCI[1] - fit.slopeCI[0]).toBeCloseTo(0, 9);
  });

  it('95% slope intervals cover the true slope in 95% ± 2% of 1000 noisy data sets', () => {
    // Binomial SD of the coverage over 1000 trials is 0.0069; ±0.02 is ~2.9 SD.
    const rng = seededRandom(7);
    const x = [2, 3, 4, 5, 6, 7, 8, 9];
    const trueSlope = -Math.LN2;
    let covered = 0;
    const trials = 1000;
    for (let t = 0; t < trials; t++) {
      const y = x.map((v) => 1.5 + trueSlope * v + 0.3 * rng.normal());
      const { slopeCI } = linearFit(x, y);
      if (slopeCI[0] <= trueSlope && trueSlope <= slopeCI[1]) covered++;
    }
    expect(covered / trials).toBeGreaterThan(0.93);
    expect(covered / trials).toBeLessThan(0.97);
  });

  it('rejects mismatched, too short, degenerate or non-finite input with a named reason', () => {
    expect(() => linearFit([1, 2], [1, 2, 3])).toThrow(/x has 2 values, y has 3/);
    expect(() => linearFit([1, 2], [1, 2])).toThrow(/needs ≥ 3 points/);
    expect(() => linearFit([1, 1, 1], [1, 2, 3])).toThrow(/all x values are equal/);
    expect(() => linearFit([1, 2, 3], [1, NaN, 3])).toThrow(/point 1 is not finite/);
  });
});

describe('semilogFit', () => {
  it('recovers −ln 2 per step and a factor of 1/2 from values 3·2^(−n)', () => {
    const n = [2, 3, 4, 5, 6];
    const fit = semilogFit(
      n,
      n.map((q) => 3 * 2 ** -q),
    );
    expect(fit.slope).toBeCloseTo(-Math.LN2, 12);
    expect(fit.factorPerQubit).toBeCloseTo(0.5, 12);
    expect(fit.intercept).toBeCloseTo(Math.log(3), 12);
  });

  it('refuses values that have no logarithm', () => {
    expect(() => semilogFit([1, 2, 3], [1, 0, 2])).toThrow(/value 1 must be > 0/);
  });
});
