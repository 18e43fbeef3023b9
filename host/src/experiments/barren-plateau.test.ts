import { describe, expect, it } from 'vitest';
import { sampleVariance } from '../stats/descriptive.ts';
import { BARREN_PLATEAU_QUICK, defaultLayers, fitVariances, plateauConfig, runBarrenPlateau, type VarianceRow } from './barren-plateau.ts';
import { openSession } from './session.ts';
import { cutAndResume } from '../../testing/cut-and-resume.ts';
import { plainRunCodec } from './finished-runs.ts';

describe('barren-plateau experiment', () => {
  it('quick run: one row per (cost, n), variances of the stored gradients, a clearly negative global slope', async () => {
    const result = await runBarrenPlateau({ ...BARREN_PLATEAU_QUICK, costs: ['local', 'global'] });
    const { qubits, samples } = BARREN_PLATEAU_QUICK;
    expect(result.rows).toHaveLength(2 * qubits.length);
    for (const row of result.rows) {
      const g = result.gradients[`${row.cost}/${row.qubits}`];
      expect(g).toHaveLength(samples);
      expect(new Set(g).size).toBeGreaterThan(samples / 2); // fresh circuits, not one circuit repeated
      expect(row.variance).toBeCloseTo(sampleVariance(g), 15);
      expect(row.varianceCI.low).toBeLessThanOrEqual(row.variance);
      expect(row.varianceCI.high).toBeGreaterThanOrEqual(row.variance);
    }
    const global = result.fits.find((f) => f.cost === 'global' && f.points === 'all')!.fit;
    expect(global.slope).toBeLessThan(0);
    expect(global.slopeCI[1]).toBeLessThan(0);
    // The global cost decays faster than the local one at equal depth.
    expect(global.slope).toBeLessThan(result.fits.find((f) => f.cost === 'local' && f.points === 'all')!.fit.slope);
  });

  // The module's exact-mode gradient is the adjoint one (f32 amplitudes); a parameter
  // shift through evaluate() is a different computation, so they agree to f32 precision.
  it("module's ∂C/∂θ₁ agrees with a parameter shift computed from evaluate() at θ₁ ± π/2", async () => {
    for (const cost of ['local', 'global'] as const) {
      for (const seed of [3, 4]) {
        const session = await openSession(plateauConfig(cost, 4, 8, seed));
        const g = session.gradient()[0];
        const theta = session.params();
        theta[0] += Math.PI / 2;
        session.setParams(theta);
        const plus = session.evaluate(0);
        theta[0] -= Math.PI;
        session.setParams(theta);
        const minus = session.evaluate(0);
        expect(Math.abs(g - (plus - minus) / 2)).toBeLessThan(1e-7);
      }
    }
  });

  it('fits all points and, separately, the deep points (L ≥ 7n) only', () => {
    const ci = { estimate: 0, low: 0, high: 0, level: 0.95, resamples: 100 };
    // Deep points (n = 2, 3, 4 at L = 64) follow 2^−n exactly; shallow ones (n = 8, 10) do not.
    const rows: VarianceRow[] = [2, 3, 4, 8, 10].map((n) => ({
      cost: 'local',
      qubits: n,
      layers: defaultLayers(n),
      samples: 10,
      meanGradient: 0,
      variance: n <= 4 ? 0.1 * 2 ** -n : 0.01,
      varianceCI: ci,
    }));
    const [all, deep] = fitVariances(rows);
    expect(all.points).toBe('all');
    expect(all.qubits).toEqual([2, 3, 4, 8, 10]);
    expect(deep.points).toBe('deep');
    expect(deep.qubits).toEqual([2, 3, 4]);
    expect(deep.fit.slope).toBeCloseTo(-Math.LN2, 12);
    expect(all.fit.slope).toBeGreaterThan(deep.fit.slope);
  });

  it('uses the deepest circuit the module holds and refuses impossible designs', async () => {
    expect([2, 4, 5, 10].map((n) => defaultLayers(n))).toEqual([64, 64, 51, 25]);
    await expect(runBarrenPlateau({ ...BARREN_PLATEAU_QUICK, qubits: [2, 3], costs: ['global'] })).rejects.toThrow(
      /needs ≥ 3 qubit counts/,
    );
    await expect(runBarrenPlateau({ ...BARREN_PLATEAU_QUICK, layers: 60, qubits: [4, 5, 6], costs: ['global'] })).rejects.toThrow(
      /60 layers × 5 qubits = 300 parameters, the module holds 256/,
    );
  });
});

describe('barren-plateau experiment cut short and resumed', () => {
  it('keeps each finished (cost, qubits) cell; --resume runs only the others and gives the uninterrupted result', async () => {
    const opts = { ...BARREN_PLATEAU_QUICK, qubits: [2, 3, 4], samples: 6, bootstrapResamples: 100, costs: ['local', 'global'] as const };
    const progress: number[] = [];
    const r = await cutAndResume(plainRunCodec<number[]>(), 2, (finished) =>
      runBarrenPlateau({ ...opts, costs: [...opts.costs], onProgress: (done) => progress.push(done) }, finished),
    );
    expect(r.linesBefore).toHaveLength(6); // 2 costs × 3 qubit counts
    expect(r.refusal).toMatch(/already holds 3 finished runs: add --resume/);
    expect(r.keptCount).toBe(2);
    expect(r.resumed).toEqual(r.full);
    // The 2 kept cells were not sampled again: the torn line was cut off and 4 new ones appended.
    expect(r.linesAfter).toHaveLength(2 + 4);
    expect(r.linesAfter.slice(0, 2)).toEqual(r.linesBefore.slice(0, 2));
    expect(progress.at(-1)).toBe(6 * 6);
  });
});
