import { describe, expect, it } from 'vitest';
import { sampleVariance } from '../stats/descriptive.ts';
import { BARREN_PLATEAU_QUICK, defaultLayers, fitVariances, runBarrenPlateau, type VarianceRow } from './barren-plateau.ts';
import { openSession } from './session.ts';
import { cutAndResume } from '../../testing/cut-and-resume.ts';
import { FinishedRuns, plainRunCodec } from './finished-runs.ts';
import { firstGradients, type GradientBatch, plateauCircuit } from './gradient-batch.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
        const session = await openSession(plateauCircuit('mcclean', cost, 4, 8, seed, 'device'));
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

describe('barren-plateau on a pool', () => {
  const opts = { ...BARREN_PLATEAU_QUICK, qubits: [2, 3, 4], samples: 13, bootstrapResamples: 100, costs: ['local', 'global'] as const };

  it('2 worker threads and a caller-given pool give the byte-identical result of this thread; sample s is seed seedBase + s', async () => {
    const here = await runBarrenPlateau({ ...opts, costs: [...opts.costs] });
    const progress: number[] = [];
    const pooled = await runBarrenPlateau({ ...opts, costs: [...opts.costs], workers: 2, onProgress: (done) => progress.push(done) });
    expect(JSON.stringify(pooled)).toBe(JSON.stringify(here));
    expect(pooled.options).not.toHaveProperty('workers');
    // Per batch (13 samples → batches of 2), every sample counted once.
    expect(progress).toHaveLength(6 * 7);
    expect(progress.at(-1)).toBe(6 * 13);

    const asked: GradientBatch[] = [];
    const given = await runBarrenPlateau({ ...opts, costs: [...opts.costs] }, undefined, {
      run: (b) => {
        asked.push(b);
        return firstGradients(b);
      },
      close: async () => {},
    });
    expect(JSON.stringify(given)).toBe(JSON.stringify(here));
    expect(asked.filter((b) => b.cost === 'global' && b.qubits === 3).map((b) => [b.from, b.to])).toEqual([
      [1, 3],
      [3, 5],
      [5, 7],
      [7, 9],
      [9, 11],
      [11, 13],
      [13, 14],
    ]);

    // Independent of the batching: each sample is one fresh circuit of its own seed.
    const layers = opts.layers!;
    for (const s of [0, 6, 12]) {
      const session = await openSession(plateauCircuit('mcclean', 'global', 3, layers, opts.seedBase + s, 'device'));
      expect(here.gradients['global/3'][s]).toBe(session.gradient()[0]);
    }
  });

  it('resumes a finished-runs.jsonl written before the pool: a cell under its old key is read back, not sampled', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'qiot-bp-old-')), 'finished-runs.jsonl');
    // A line as the sequential runBarrenPlateau wrote it: key [cost, n, layers, samples, seedBase, build].
    const marker = Array.from({ length: 13 }, (_, i) => i / 100);
    writeFileSync(path, `${JSON.stringify({ key: '["local",3,20,13,1,"device"]', run: marker })}\n`);
    const finished = new FinishedRuns(path, true, undefined, plainRunCodec<number[]>());
    const asked: GradientBatch[] = [];
    const r = await runBarrenPlateau({ ...opts, costs: ['local'] }, finished, {
      run: (b) => {
        asked.push(b);
        return firstGradients(b);
      },
      close: async () => {},
    });
    expect(r.gradients['local/3']).toEqual(marker);
    expect(new Set(asked.map((b) => b.qubits))).toEqual(new Set([2, 4]));
  });

  it('refuses a worker count that is not a positive integer', async () => {
    await expect(runBarrenPlateau({ ...opts, costs: ['local'], workers: 0 })).rejects.toThrow(/workers must be an integer ≥ 1, got 0/);
  });
});
