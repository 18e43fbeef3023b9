// One Bin(s, p) draw per evaluation: the sampled loss 1 − k/s of a one-qubit circuit with a known
// exact p, drawn many times through step(), against the moments and the pmf of Bin(s, p) — in
// both sampler regimes (inversion for s·min(p, 1−p) < 10, BTRS above).
import { describe, expect, it } from 'vitest';
import { GRADIENT, STATUS } from '../host/src/wasm/index.ts';
import { initialisedModule } from './testing/fixtures.ts';

const DRAWS = 4000;

// N sampled hit counts k at RY(θ): p(0) = cos²(θ/2), with the module's own exact p.
function draws(shots: number, theta: number, seed: number): { p: number; hits: number[] } {
  const module = initialisedModule({
    qubits: 1,
    shotsPerEval: shots,
    shotBudget: 2 ** 52,
    paramInit: 1,
    gradient: GRADIENT.spsa,
    seed,
    lr: 1e-300,
  });
  module.setParams([theta, 0]);
  const p = 1 - module.evaluate('train');
  const hits: number[] = [];
  for (let i = 0; i < DRAWS; i++) {
    module.setParams([theta, 0]);
    const { record } = module.step();
    expect(record.status).toBe(STATUS.OK);
    const k = (1 - record.loss) * shots;
    expect(Math.abs(k - Math.round(k))).toBeLessThan(1e-6);
    hits.push(Math.round(k));
  }
  return { p, hits };
}

const cases: [shots: number, theta: number][] = [
  [1, 1.1], // Bernoulli
  [7, 2.2], // inversion, s·p ≈ 1.4
  [1000, 3.05], // inversion, s·p ≈ 2 (p small)
  [1000, 0.09], // inversion on 1 − p (p ≈ 0.998)
  [60, 1.6], // BTRS, s·p ≈ 29
  [1000, 1.1], // BTRS
  [1_000_000, 2.0], // BTRS, large s
];

describe.each(cases)('Bin(%i, p) at θ = %f', (shots, theta) => {
  const { p, hits } = draws(shots, theta, 17 + shots);
  const q = 1 - p;
  const mean = hits.reduce((a, b) => a + b, 0) / DRAWS;
  const variance = hits.reduce((a, b) => a + (b - mean) ** 2, 0) / (DRAWS - 1);
  const sigma2 = shots * p * q;

  it('has the mean s·p within 4 standard errors', () => {
    expect(Math.abs(mean - shots * p)).toBeLessThan(4 * Math.sqrt(sigma2 / DRAWS));
  });

  it('has the variance s·p·(1 − p) within 4 standard errors of the sample variance', () => {
    // Var(s²) = (μ₄ − σ⁴ (N − 3)/(N − 1)) / N with μ₄ = s·p·q·(1 + 3(s − 2)·p·q) for Bin(s, p).
    const mu4 = sigma2 * (1 + 3 * (shots - 2) * p * q);
    const se = Math.sqrt(Math.max(mu4 - (sigma2 ** 2 * (DRAWS - 3)) / (DRAWS - 1), 0) / DRAWS);
    expect(Math.abs(variance - sigma2)).toBeLessThan(4 * se);
  });
});

// Pearson's χ² over the outcomes with expected count ≥ 5 (the tails pooled into the end bins),
// against the χ²_df mean + 4 standard deviations (df + 4√(2df)).
describe.each([
  [7, 2.2],
  [60, 1.6],
])('the distribution of Bin(%i, p) at θ = %f', (shots, theta) => {
  it('passes a χ² goodness-of-fit test at 4σ', () => {
    const { p, hits } = draws(shots, theta, 5);
    const pmf: number[] = [];
    let term = (1 - p) ** shots;
    for (let k = 0; k <= shots; k++) {
      pmf.push(term);
      term *= ((shots - k) / (k + 1)) * (p / (1 - p));
    }
    const counts = new Array<number>(shots + 1).fill(0);
    hits.forEach((k) => counts[k]++);
    const bins: { expected: number; observed: number }[] = [];
    let pending = { expected: 0, observed: 0 };
    for (let k = 0; k <= shots; k++) {
      pending.expected += pmf[k] * DRAWS;
      pending.observed += counts[k];
      if (pending.expected >= 5) {
        bins.push(pending);
        pending = { expected: 0, observed: 0 };
      }
    }
    bins[bins.length - 1].expected += pending.expected;
    bins[bins.length - 1].observed += pending.observed;
    const chi2 = bins.reduce((sum, b) => sum + (b.observed - b.expected) ** 2 / b.expected, 0);
    const df = bins.length - 1;
    expect(df).toBeGreaterThanOrEqual(4);
    expect(chi2).toBeLessThan(df + 4 * Math.sqrt(2 * df));
  });
});
