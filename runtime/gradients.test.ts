// gradient(): parameter shift against central finite differences of the f64 reference,
// SPSA against the documented estimator with the reference PRNG's Δ, and the batch windows.
import { describe, expect, it } from 'vitest';
import { ANSATZ, COST, GRADIENT, STATUS } from '../host/src/wasm/index.ts';
import { initialisedModule, lcgAngles, twoClassSamples } from './testing/fixtures.ts';
import { finiteDifferenceGradient, meanLoss, type CostKind, type ModelSpec } from './testing/reference-model.ts';
import { ReferencePrng } from './testing/reference-prng.ts';

// Shift gradient from f32 probabilities vs f64 finite difference with h = 1e-5
// (truncation error ~h² ≈ 1e-10, f32 rounding ~1e-6).
const GRADIENT_TOLERANCE = 1e-4;

const samples = twoClassSamples(6, 2, 9);

describe('parameter shift in exact mode equals a central finite difference', () => {
  for (const cost of ['local', 'global', 'class-sq', 'class-xent'] as CostKind[]) {
    it(cost, () => {
      const classification = cost.startsWith('class');
      const spec: ModelSpec = { qubits: 2, layers: 2, ansatz: 'hea', cost };
      const module = initialisedModule(
        { qubits: 2, layers: 2, cost: COST[cost], paramInit: 1, ...(classification ? { nFeatures: 2, nTrain: 6 } : {}) },
        classification ? samples : [],
      );
      const theta = lcgAngles(module.paramCount, 77, 2 * Math.PI);
      module.setParams(theta);
      const { status, gradient } = module.gradient();
      expect(status).toBe(STATUS.OK);
      const expected = finiteDifferenceGradient((t) => meanLoss(spec, t, samples), theta);
      gradient.forEach((g, j) => expect(Math.abs(g - expected[j])).toBeLessThan(GRADIENT_TOLERANCE));
      expect(Math.max(...expected.map(Math.abs))).toBeGreaterThan(0.01);
      expect(Array.from(module.getParams())).toEqual(theta);
      expect(module.step().record.step).toBe(1);
    });
  }
});

describe('SPSA gradient', () => {
  it('is (L(θ+cΔ) − L(θ−cΔ))/(2c) · Δ with Δ from the PRNG after the init draws', () => {
    const seed = 31;
    const spec: ModelSpec = { qubits: 3, layers: 1, ansatz: 'rxry-cnot', cost: 'local' };
    const module = initialisedModule({ qubits: 3, layers: 1, ansatz: ANSATZ['rxry-cnot'], gradient: GRADIENT.spsa, spsaC: 0.2, seed });
    const theta = Array.from(module.getParams());
    const prng = new ReferencePrng(seed);
    theta.forEach(() => prng.nextUnit());
    const delta = theta.map(() => (prng.nextU64() >> 63n === 0n ? 1 : -1));
    const c = 0.2;
    const plus = meanLoss(
      spec,
      theta.map((t, j) => t + c * delta[j]),
    );
    const minus = meanLoss(
      spec,
      theta.map((t, j) => t - c * delta[j]),
    );
    const { gradient } = module.gradient();
    gradient.forEach((g, j) => expect(Math.abs(g - ((plus - minus) / (2 * c)) * delta[j])).toBeLessThan(GRADIENT_TOLERANCE));
  });
});

describe('mini-batches', () => {
  it('step k uses the window k·b … k·b+b−1 (mod n_train) of the seeded Fisher–Yates permutation', () => {
    const seed = 5;
    const nTrain = 5;
    const batch = 2;
    const spec: ModelSpec = { qubits: 2, layers: 1, ansatz: 'hea', cost: 'class-sq' };
    const module = initialisedModule(
      { qubits: 2, layers: 1, cost: COST['class-sq'], nFeatures: 2, nTrain, nTest: 1, batch, seed, lr: 0.05 },
      samples,
    );
    const prng = new ReferencePrng(seed);
    for (let j = 0; j < module.paramCount; j++) prng.nextUnit();
    const order = Array.from({ length: nTrain }, (_, i) => i);
    for (let i = nTrain - 1; i >= 1; i--) {
      const j = prng.nextBelow(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (let k = 0; k < 6; k++) {
      const theta = module.getParams();
      const window = [0, 1].map((i) => samples[order[(k * batch + i) % nTrain]]);
      const { record } = module.step();
      expect(record.evals).toBe(batch * (1 + 2 * module.paramCount));
      expect(Math.abs(record.loss - meanLoss(spec, theta, window))).toBeLessThan(1e-5);
    }
  });
});
