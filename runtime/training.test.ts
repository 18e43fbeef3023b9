// Whole runs: bit-identical repeats, convergence, and numeric failure handling.
import { describe, expect, it } from 'vitest';
import { ANSATZ, COST, GRADIENT, NLR_MODE, OPTIMIZER, STATUS, type AbiConfig } from '../host/src/wasm/index.ts';
import { initialisedModule, twoClassSamples } from './testing/fixtures.ts';

function rawRun(overrides: Partial<AbiConfig>, steps: number, samples = twoClassSamples(20, 3, 8)): Uint8Array[] {
  const module = initialisedModule(overrides, samples);
  return Array.from({ length: steps }, () => module.step().raw);
}

describe('determinism', () => {
  const sampled: Partial<AbiConfig> = {
    qubits: 3,
    layers: 2,
    ansatz: ANSATZ.mcclean,
    cost: COST['class-xent'],
    nFeatures: 3,
    nTrain: 16,
    nTest: 4,
    batch: 5,
    shotsPerEval: 64,
    shotBudget: 10 ** 7,
    optimizer: OPTIMIZER.nlr,
    nlrMode: NLR_MODE.stochastic,
    nlrProb: 0.3,
    gradient: GRADIENT.spsa,
    seed: 123456789,
  };

  it('two runs with one seed give byte-identical telemetry', () => {
    const first = rawRun(sampled, 30);
    const second = rawRun(sampled, 30);
    expect(first.map((r) => Buffer.from(r).toString('hex'))).toEqual(second.map((r) => Buffer.from(r).toString('hex')));
  });

  it('diagnostic gate calls between steps do not change the run', () => {
    const plain = rawRun(sampled, 6);
    const module = initialisedModule(sampled, twoClassSamples(20, 3, 8));
    const interleaved = Array.from({ length: 6 }, (_, k) => {
      module.svReset(1 + (k % 4));
      module.svApply('H', 0);
      return module.step().raw;
    });
    expect(interleaved).toEqual(plain);
  });

  it('writes every NaN with the one canonical bit pattern', () => {
    const canonicalNaN = '000000000000f87f';
    const module = initialisedModule({ qubits: 1 });
    const hex = (raw: Uint8Array, offset: number) => Buffer.from(raw.subarray(offset, offset + 8)).toString('hex');
    expect(hex(module.step().raw, 56)).toBe(canonicalNaN); // trial_loss of a non-gated optimizer
    const idle = initialisedModule({ qubits: 1, shotsPerEval: 10, shotBudget: 1 }).step();
    expect(idle.status).toBe(STATUS.BUDGET_EXHAUSTED);
    for (const offset of [32, 40, 48, 56]) expect(hex(idle.raw, offset)).toBe(canonicalNaN);
  });

  it('another seed gives different telemetry', () => {
    const first = rawRun(sampled, 5);
    const other = rawRun({ ...sampled, seed: 123456790 }, 5);
    expect(Buffer.compare(Buffer.from(first[4]), Buffer.from(other[4]))).not.toBe(0);
  });
});

describe('convergence', () => {
  it('a 1-qubit circuit trained with SGD reaches the minimum of the local cost', () => {
    const module = initialisedModule({ qubits: 1, lr: 0.8, paramInit: 1 });
    module.setParams([2.8, 0.5]);
    let last = module.step().record;
    for (let i = 0; i < 150; i++) last = module.step().record;
    expect(last.loss).toBeLessThan(1e-4);
    expect(module.evaluate('train')).toBeLessThan(1e-4);
    expect(Math.cos(module.getParams()[0])).toBeGreaterThan(0.999);
  });

  it('a 2-qubit classifier trained with Adam separates the two classes', () => {
    const samples = twoClassSamples(40, 2, 21);
    const module = initialisedModule(
      { qubits: 2, layers: 2, cost: COST['class-sq'], optimizer: OPTIMIZER.adam, lr: 0.1, nFeatures: 2, nTrain: 30, nTest: 10, seed: 2 },
      samples,
    );
    const before = module.evaluate('train');
    for (let i = 0; i < 100; i++) expect(module.step().status).toBe(STATUS.OK);
    expect(module.evaluate('train')).toBeLessThan(before / 2);
    expect(module.accuracy('train')).toBeGreaterThanOrEqual(0.9);
    expect(module.accuracy('test')).toBeGreaterThanOrEqual(0.8);
  });
});

describe('numeric failures', () => {
  it('NaN parameters give status NUMERIC and leave θ unchanged', () => {
    const module = initialisedModule({ qubits: 1, paramInit: 1 });
    module.setParams([Number.NaN, 0]);
    const { status, record } = module.step();
    expect(status).toBe(STATUS.NUMERIC);
    expect(record.statusName).toBe('NUMERIC');
    expect(record.step).toBe(1);
    expect(Array.from(module.getParams())).toEqual([Number.NaN, 0]); // both entries as set (toEqual matches NaN with NaN)
  });

  it('an update that overflows to ±∞ gives NUMERIC and keeps the old θ', () => {
    // NLR ascent with ρ·η = 1e300 · 1e10 = ∞ (each finite on its own).
    const module = initialisedModule({
      qubits: 1,
      paramInit: 1,
      optimizer: OPTIMIZER.nlr,
      nlrMode: NLR_MODE.stochastic,
      nlrProb: 1,
      nlrRatio: 1e300,
      lr: 1e10,
    });
    module.setParams([1, 0]);
    const { status, record } = module.step();
    expect(status).toBe(STATUS.NUMERIC);
    expect(record.phase).toBe(1);
    expect(Array.from(module.getParams())).toEqual([1, 0]);
  });
});
