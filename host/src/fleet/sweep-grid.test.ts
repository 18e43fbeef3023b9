import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/errors.ts';
import { expandSweep, parseSeeds, parseSet, SweepUsageError } from './sweep-grid.ts';

const base = { qubits: 2, layers: 1, cost: 'local', optimizer: { name: 'sgd', lr: 0.1 }, steps: 5, seed: 1 };

describe('sweep grid', () => {
  it('parses seed lists and ranges', () => {
    expect(parseSeeds('1..4')).toEqual([1, 2, 3, 4]);
    expect(parseSeeds('1..3,10, 7')).toEqual([1, 2, 3, 10, 7]);
    expect(() => parseSeeds('5..1')).toThrow(/empty range/);
    expect(() => parseSeeds('1,x')).toThrow(/'x'/);
    expect(() => parseSeeds('1..3,2')).toThrow(/twice/);
  });

  it('parses --set values as JSON where they parse', () => {
    expect(parseSet('optimizer.lr=0.1,0.3')).toEqual({ key: 'optimizer.lr', values: [0.1, 0.3] });
    expect(parseSet('ansatz=hea')).toEqual({ key: 'ansatz', values: ['hea'] });
    expect(() => parseSet('lr')).toThrow(SweepUsageError);
    expect(() => parseSet('seed=1,2')).toThrow(/--seeds/);
    expect(() => parseSet('a/b=1')).toThrow(/dotted/);
  });

  it('expands optimizers × seeds × every --set combination with stable, distinct ids', () => {
    const grid = { seeds: [1, 2], optimizers: ['sgd', 'adam'], sets: [parseSet('optimizer.lr=0.1,0.2'), parseSet('layers=1,2,3')] };
    const runs = expandSweep(base, 'base.json', grid);
    expect(runs).toHaveLength(2 * 2 * 2 * 3);
    expect(new Set(runs.map((r) => r.id)).size).toBe(runs.length);
    expect(expandSweep(base, 'base.json', grid).map((r) => r.id)).toEqual(runs.map((r) => r.id));
    const one = runs.find(
      (r) => r.params.optimizer === 'adam' && r.params.seed === 2 && r.params['optimizer.lr'] === 0.2 && r.params.layers === 3,
    )!;
    expect(one.config.optimizer).toMatchObject({ name: 'adam', lr: 0.2 });
    expect(one.config.layers).toBe(3);
    expect(one.config.seed).toBe(2);
    expect(one.id).toMatch(/^adam-s2-optimizer\.lr=0\.2-layers=3-[0-9a-f]{10}$/);
  });

  it('names the run and field of an invalid value', () => {
    expect(() => expandSweep(base, 'base.json', { seeds: [1], sets: [parseSet('layers=1,0')] })).toThrow(ConfigError);
    expect(() => expandSweep(base, 'base.json', { seeds: [1], sets: [parseSet('layers=1,0')] })).toThrow(/layers=0/);
  });
});
