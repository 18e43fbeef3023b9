// One or two steps of each baseline optimizer against the update written out by hand from
// the reference model's loss and finite-difference gradient (docs/nlr.md equations).
import { describe, expect, it } from 'vitest';
import { ANSATZ, COST, GRADIENT, NLR_MODE, OPTIMIZER } from '../host/src/wasm/index.ts';
import { initialisedModule } from './testing/fixtures.ts';
import { finiteDifferenceGradient, meanLoss, type ModelSpec } from './testing/reference-model.ts';
import { ReferencePrng } from './testing/reference-prng.ts';

// θ after a step: lr · (gradient error ≈ 1e-6) plus f64 rounding.
const THETA_TOLERANCE = 1e-5;

// Global cost: every parameter moves p(00), so no gradient is ~0 (Adam would amplify f32 noise there).
const spec: ModelSpec = { qubits: 2, layers: 1, ansatz: 'rxry-cnot', cost: 'global' };
const theta0 = [0.4, 1.3, -0.7, 2.1];
const loss = (t: ArrayLike<number>) => meanLoss(spec, t);
const gradientAt = (t: ArrayLike<number>) => finiteDifferenceGradient((x) => meanLoss(spec, x), t);
const norm = (v: number[]) => Math.hypot(...v);

function moduleFor(overrides: Parameters<typeof initialisedModule>[0]) {
  const module = initialisedModule({
    qubits: 2,
    layers: 1,
    ansatz: ANSATZ['rxry-cnot'],
    cost: COST.global,
    paramInit: 1,
    lr: 0.3,
    ...overrides,
  });
  module.setParams(theta0);
  return module;
}

function expectClose(actual: ArrayLike<number>, expected: number[]) {
  expect(actual.length).toBe(expected.length);
  expected.forEach((value, j) => expect(Math.abs(actual[j] - value)).toBeLessThan(THETA_TOLERANCE));
}

describe('baseline optimizers', () => {
  it('sgd: θ ← θ − η g, with loss, ‖g‖ and ‖Δθ‖ in the record', () => {
    const module = moduleFor({ optimizer: OPTIMIZER.sgd });
    const g = gradientAt(theta0);
    const { record } = module.step();
    const expected = theta0.map((t, j) => t - 0.3 * g[j]);
    expectClose(module.getParams(), expected);
    expect(Math.abs(record.loss - loss(theta0))).toBeLessThan(1e-6);
    expect(Math.abs(record.gradNorm - norm(g))).toBeLessThan(1e-5);
    expect(Math.abs(record.stepNorm - 0.3 * norm(g))).toBeLessThan(1e-5);
    expect(record.trialLoss).toBeNaN();
    expect(record.phase).toBe(0);
  });

  it('momentum: v ← μv + g; θ ← θ − ηv over two steps', () => {
    const module = moduleFor({ optimizer: OPTIMIZER.momentum, momentum: 0.8 });
    const g1 = gradientAt(theta0);
    module.step();
    const theta1 = Array.from(module.getParams());
    expectClose(
      theta1,
      theta0.map((t, j) => t - 0.3 * g1[j]),
    );
    const g2 = gradientAt(theta1);
    module.step();
    expectClose(
      module.getParams(),
      theta1.map((t, j) => t - 0.3 * (0.8 * g1[j] + g2[j])),
    );
  });

  it('adam: bias-corrected moments over two steps', () => {
    const [b1, b2, eps, lr] = [0.9, 0.99, 1e-8, 0.3];
    const module = moduleFor({ optimizer: OPTIMIZER.adam, beta1: b1, beta2: b2, eps });
    const g1 = gradientAt(theta0);
    module.step();
    const theta1 = Array.from(module.getParams());
    const m1 = g1.map((g) => (1 - b1) * g);
    const v1 = g1.map((g) => (1 - b2) * g * g);
    const adamStep = (theta: number[], m: number[], v: number[], t: number) =>
      theta.map((x, j) => x - (lr * (m[j] / (1 - b1 ** t))) / (Math.sqrt(v[j] / (1 - b2 ** t)) + eps));
    expectClose(theta1, adamStep(theta0, m1, v1, 1));
    const g2 = gradientAt(theta1);
    const m2 = m1.map((m, j) => b1 * m + (1 - b1) * g2[j]);
    const v2 = v1.map((v, j) => b2 * v + (1 - b2) * g2[j] ** 2);
    module.step();
    expectClose(module.getParams(), adamStep(theta1, m2, v2, 2));
  });

  it('spsa: θ ← θ − a_k g_SPSA with a_k = η/(k+1)^0.602, c_k = c/(k+1)^0.101', () => {
    const seed = 17;
    const module = moduleFor({ optimizer: OPTIMIZER.spsa, spsaC: 0.15, seed });
    const prng = new ReferencePrng(seed);
    let theta = theta0.slice();
    for (let k = 0; k < 3; k++) {
      const a = 0.3 / (k + 1) ** 0.602;
      const c = 0.15 / (k + 1) ** 0.101;
      const delta = theta.map(() => (prng.nextU64() >> 63n === 0n ? 1 : -1));
      const diff = loss(theta.map((t, j) => t + c * delta[j])) - loss(theta.map((t, j) => t - c * delta[j]));
      theta = theta.map((t, j) => t - a * (diff / (2 * c)) * delta[j]);
      const { record } = module.step();
      expect(record.evals).toBe(3);
      expectClose(module.getParams(), theta);
      theta = Array.from(module.getParams());
    }
  });
});

describe('evaluations per step (docs/nlr.md)', () => {
  const P = 4;
  const cases: [string, Parameters<typeof initialisedModule>[0], number][] = [
    ['sgd, parameter shift: B(1 + 2P)', { optimizer: OPTIMIZER.sgd }, 1 + 2 * P],
    ['adam, parameter shift: B(1 + 2P)', { optimizer: OPTIMIZER.adam }, 1 + 2 * P],
    ['sgd, SPSA gradient: 3B', { optimizer: OPTIMIZER.sgd, gradient: GRADIENT.spsa }, 3],
    ['spsa: 3B', { optimizer: OPTIMIZER.spsa }, 3],
    ['nlr gated, parameter shift: B(2 + 2P)', { optimizer: OPTIMIZER.nlr, nlrMode: NLR_MODE.gated }, 2 + 2 * P],
    ['nlr gated, SPSA gradient: 4B', { optimizer: OPTIMIZER.nlr, nlrMode: NLR_MODE.gated, gradient: GRADIENT.spsa }, 4],
    ['nlr periodic: B(1 + 2P)', { optimizer: OPTIMIZER.nlr, nlrMode: NLR_MODE.periodic }, 1 + 2 * P],
  ];
  it.each(cases)('%s', (_, overrides, evals) => {
    const module = moduleFor({ ...overrides, shotsPerEval: 10, shotBudget: 10 ** 6 });
    const { record } = module.step();
    expect(record.evals).toBe(evals);
    expect(record.shots).toBe(evals * 10);
  });
});
