// Adjoint gradients (exact mode) against the module's own parameter shift, and against central
// finite differences of the independent f64 reference simulator, in every build.
import { describe, expect, it } from 'vitest';
import { ANSATZ, COST, GRADIENT, STATUS, type ModuleBuild } from '../host/src/wasm/index.ts';
import { initialisedModule, lcgAngles, twoClassSamples } from './testing/fixtures.ts';
import { finiteDifferenceGradient, meanLoss, type AnsatzKind, type CostKind } from './testing/reference-model.ts';

// Adjoint vs shift: both from the same simulator, differing only by rounding in the backward
// sweep (f32: ~1e−7 per pass; Q1.30: ~1e−9). Against the f64 reference with h = 1e−5: the
// finite difference's own error (~1e−10) plus the module's rounding.
const VS_SHIFT = 2e-6;
const VS_REFERENCE = 1e-5;
const BUILDS: ModuleBuild[] = ['device', 'device-f32', 'host'];
const COSTS: CostKind[] = ['local', 'global', 'class-sq', 'class-xent'];
const ANSATZE: AnsatzKind[] = ['hea', 'mcclean', 'rxry-cnot'];
const samples = twoClassSamples(5, 3, 4);

function gradientOf(build: ModuleBuild, ansatz: AnsatzKind, cost: CostKind, gradient: number, theta?: number[]) {
  const classification = cost.startsWith('class');
  const module = initialisedModule(
    {
      qubits: 3,
      layers: 2,
      ansatz: ANSATZ[ansatz],
      cost: COST[cost],
      gradient,
      paramInit: 1,
      seed: 9,
      ...(classification ? { nFeatures: 3, nTrain: 5 } : {}),
    },
    classification ? samples : [],
    build,
  );
  const angles = theta ?? lcgAngles(module.paramCount, 31, 2 * Math.PI);
  module.setParams(angles);
  const result = module.gradient();
  expect(result.status).toBe(STATUS.OK);
  return { module, theta: angles, gradient: Array.from(result.gradient) };
}

describe.each(BUILDS)('adjoint gradient, %s build', (build) => {
  for (const ansatz of ANSATZE) {
    for (const cost of COSTS) {
      it(`${ansatz}, ${cost}: equals parameter shift`, () => {
        const adjoint = gradientOf(build, ansatz, cost, GRADIENT.adjoint);
        const shift = gradientOf(build, ansatz, cost, GRADIENT['parameter-shift'], adjoint.theta);
        adjoint.gradient.forEach((g, j) => expect(Math.abs(g - shift.gradient[j])).toBeLessThan(VS_SHIFT));
        expect(Math.max(...shift.gradient.map(Math.abs))).toBeGreaterThan(0.01);
      });
    }
  }

  for (const ansatz of ['hea', 'rxry-cnot'] as AnsatzKind[]) {
    for (const cost of COSTS) {
      it(`${ansatz}, ${cost}: equals finite differences of the f64 reference`, () => {
        const { theta, gradient } = gradientOf(build, ansatz, cost, GRADIENT.adjoint);
        const spec = { qubits: 3, layers: 2, ansatz, cost };
        const expected = finiteDifferenceGradient((t) => meanLoss(spec, t, samples), theta);
        gradient.forEach((g, j) => expect(Math.abs(g - expected[j])).toBeLessThan(VS_REFERENCE));
      });
    }
  }
});

describe('adjoint steps', () => {
  it('count one loss and one adjoint evaluation per batch slot and train like parameter shift', () => {
    const config = { qubits: 4, layers: 2, cost: COST['class-sq'], nFeatures: 3, nTrain: 5, batch: 2, lr: 0.2, seed: 3 };
    const adjoint = initialisedModule({ ...config, gradient: GRADIENT.adjoint }, samples);
    const shift = initialisedModule({ ...config, gradient: GRADIENT['parameter-shift'] }, samples);
    for (let k = 0; k < 10; k++) {
      const a = adjoint.step().record;
      const s = shift.step().record;
      expect(a.status).toBe(STATUS.OK);
      expect(a.evals).toBe(2 * 2);
      expect(s.evals).toBe(2 * (1 + 2 * shift.paramCount));
      expect(Math.abs(a.loss - s.loss)).toBeLessThan(1e-5);
    }
  });

  it('is refused with shots (exact mode only), naming the gradient field', () => {
    expect(() => initialisedModule({ qubits: 2, gradient: GRADIENT.adjoint, shotsPerEval: 10, shotBudget: 1000 })).toThrow(
      /gradient: .*adjoint needs shots_per_eval = 0/,
    );
  });
});
