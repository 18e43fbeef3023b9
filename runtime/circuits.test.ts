// Every ansatz × cost through evaluate()/accuracy() against the f64 reference model,
// and the seeded draws at init (θ₀, McClean gate kinds) against a BigInt xoshiro256**.
import { describe, expect, it } from 'vitest';
import { ANSATZ, COST } from '../host/src/wasm/index.ts';
import { initialisedModule, lcgAngles, twoClassSamples } from './testing/fixtures.ts';
import { meanLoss, parameterCount, prepareState, type AnsatzKind, type CostKind, type ModelSpec } from './testing/reference-model.ts';
import { ReferencePrng } from './testing/reference-prng.ts';

// f32 statevector vs f64 reference, circuits of ≤ 40 gates on ≤ 4 qubits.
const F32_TOLERANCE = 1e-5;

function mccleanKinds(seed: number, count: number): number[] {
  const prng = new ReferencePrng(seed);
  return Array.from({ length: count }, () => prng.nextBelow(3));
}

const ansatze: AnsatzKind[] = ['hea', 'mcclean', 'rxry-cnot'];

describe('bare-circuit costs (local, global)', () => {
  for (const ansatz of ansatze) {
    for (const cost of ['local', 'global'] as CostKind[]) {
      it(`${ansatz} / ${cost} matches the reference`, () => {
        const spec: ModelSpec = { qubits: 4, layers: 3, ansatz, cost };
        const seed = 11;
        spec.gateKinds = mccleanKinds(seed, parameterCount(spec));
        const module = initialisedModule({ qubits: 4, layers: 3, ansatz: ANSATZ[ansatz], cost: COST[cost], seed, paramInit: 1 });
        expect(module.paramCount).toBe(parameterCount(spec));
        for (let trial = 0; trial < 3; trial++) {
          const theta = lcgAngles(module.paramCount, 100 + trial, 2 * Math.PI);
          module.setParams(theta);
          const expected = meanLoss(spec, theta);
          expect(Math.abs(module.evaluate('train') - expected)).toBeLessThan(F32_TOLERANCE);
          expect(module.evaluate('test')).toBe(module.evaluate('train'));
        }
        expect(module.accuracy('train')).toBeNaN();
      });
    }
  }
});

describe('at the capacity limit', () => {
  it('10 qubits, 4 HEA layers: local and global costs match the reference', () => {
    for (const cost of ['local', 'global'] as CostKind[]) {
      const spec: ModelSpec = { qubits: 10, layers: 4, ansatz: 'hea', cost };
      const module = initialisedModule({ qubits: 10, layers: 4, cost: COST[cost], paramInit: 1 });
      const theta = lcgAngles(module.paramCount, 5, 2 * Math.PI);
      module.setParams(theta);
      expect(Math.abs(module.evaluate('train') - meanLoss(spec, theta))).toBeLessThan(F32_TOLERANCE);
    }
  });
});

describe('classification costs', () => {
  const samples = twoClassSamples(12, 3, 5);
  const train = samples.slice(0, 8);
  const test = samples.slice(8);

  for (const ansatz of ansatze) {
    for (const cost of ['class-sq', 'class-xent'] as CostKind[]) {
      it(`${ansatz} / ${cost} loss and accuracy per split match the reference`, () => {
        const spec: ModelSpec = { qubits: 3, layers: 2, ansatz, cost };
        const seed = 3;
        spec.gateKinds = mccleanKinds(seed, parameterCount(spec));
        const module = initialisedModule(
          { qubits: 3, layers: 2, ansatz: ANSATZ[ansatz], cost: COST[cost], seed, paramInit: 1, nFeatures: 3, nTrain: 8, nTest: 4 },
          samples,
        );
        const theta = lcgAngles(module.paramCount, 42, 2 * Math.PI);
        module.setParams(theta);
        expect(Math.abs(module.evaluate('train') - meanLoss(spec, theta, train))).toBeLessThan(F32_TOLERANCE);
        expect(Math.abs(module.evaluate('test') - meanLoss(spec, theta, test))).toBeLessThan(F32_TOLERANCE);
        const referenceAccuracy = (set: typeof samples) =>
          set.filter((s) => (prepareState(spec, theta, s.features).expectationZ(0) > 0 ? 1 : -1) === s.label).length / set.length;
        expect(module.accuracy('train')).toBe(referenceAccuracy(train));
        expect(module.accuracy('test')).toBe(referenceAccuracy(test));
      });
    }
  }

  it('an empty test split evaluates to NaN', () => {
    const module = initialisedModule({ qubits: 3, cost: COST['class-sq'], nFeatures: 3, nTrain: 12, nTest: 0 }, samples);
    expect(module.evaluate('test')).toBeNaN();
    expect(module.accuracy('test')).toBeNaN();
    expect(module.evaluate('train')).toBeGreaterThan(0);
  });
});

describe('seeded initialisation', () => {
  it('θ₀ are the documented xoshiro256** draws × init_range', () => {
    const module = initialisedModule({ qubits: 3, layers: 2, seed: 987654321, initRange: 1.5 });
    const prng = new ReferencePrng(987654321);
    const expected = Array.from({ length: 12 }, () => prng.nextUnit() * 1.5);
    expect(Array.from(module.getParams())).toEqual(expected);
  });

  it('McClean draws its gate kinds before θ₀, from the same stream', () => {
    const seed = 2024;
    const module = initialisedModule({ qubits: 3, layers: 2, ansatz: ANSATZ.mcclean, seed, initRange: 2 });
    const prng = new ReferencePrng(seed);
    const kinds = Array.from({ length: 6 }, () => prng.nextBelow(3));
    const theta = Array.from({ length: 6 }, () => prng.nextUnit() * 2);
    expect(Array.from(module.getParams())).toEqual(theta);
    const spec: ModelSpec = { qubits: 3, layers: 2, ansatz: 'mcclean', cost: 'local', gateKinds: kinds };
    expect(Math.abs(module.evaluate('train') - meanLoss(spec, theta))).toBeLessThan(F32_TOLERANCE);
    expect(new Set(kinds).size).toBeGreaterThan(1);
  });

  it('param_init = 1 leaves θ at 0 for the host to write', () => {
    const module = initialisedModule({ qubits: 2, paramInit: 1 });
    expect(Array.from(module.getParams())).toEqual([0, 0, 0, 0]);
  });
});
