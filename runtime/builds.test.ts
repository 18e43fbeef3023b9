// The three builds of the one source (docs/abi.md "Builds"): the host build's SIMD kernels are
// bit-identical to the f32 device build; its capacities reach 20 qubits and 4 096 parameters;
// the Q1.30 device build is closer to an f64 reference than f32.
import { describe, expect, it } from 'vitest';
import { ANSATZ, COST, GRADIENT, OPTIMIZER, STATUS, type AbiConfig, type ModuleBuild } from '../host/src/wasm/index.ts';
import { freshModule, initialisedModule, lcgAngles, twoClassSamples } from './testing/fixtures.ts';
import { meanLoss } from './testing/reference-model.ts';

const samples = twoClassSamples(8, 4, 21);

describe('host build', () => {
  it('has 20 qubits, 4 096 parameters and 20 features', () => {
    const { capacities } = freshModule('host');
    expect(capacities.maxQubits).toBe(20);
    expect(capacities.maxParams).toBe(4096);
    expect(capacities.maxFeatures).toBe(20);
  });

  const configs: [string, Partial<AbiConfig>][] = [
    ['hea, shift, NLR, 5 qubits', { qubits: 5, layers: 3, optimizer: OPTIMIZER.nlr, gradient: GRADIENT['parameter-shift'] }],
    ['rxry-cnot, adjoint, 10 qubits', { qubits: 10, layers: 2, ansatz: ANSATZ['rxry-cnot'], gradient: GRADIENT.adjoint }],
    [
      'mcclean, global, adam, 7 qubits',
      { qubits: 7, layers: 4, ansatz: ANSATZ.mcclean, cost: COST.global, optimizer: OPTIMIZER.adam, gradient: GRADIENT.adjoint },
    ],
    [
      'classification with shots, 4 qubits',
      { qubits: 4, layers: 2, cost: COST['class-xent'], nFeatures: 4, nTrain: 8, batch: 3, shotsPerEval: 200, shotBudget: 10 ** 9 },
    ],
  ];
  it.each(configs)('%s: telemetry bit-identical to the f32 device build (SIMD = scalar)', (_name, config) => {
    const host = initialisedModule({ ...config, seed: 4 }, samples, 'host');
    const device = initialisedModule({ ...config, seed: 4 }, samples, 'device-f32');
    for (let k = 0; k < 5; k++) expect(host.step().raw).toEqual(device.step().raw);
    expect(host.getParams()).toEqual(device.getParams());
  });

  it('trains 20 qubits: loss and adjoint gradient of one hea layer are analytic', () => {
    // RY, RZ per qubit then diagonal CZs: p(qubit 0 = 0) = cos²(θ₀/2), so L = (1 − cos θ₀)/2,
    // ∂L/∂θ₀ = sin θ₀ / 2 and every other derivative is 0.
    const module = initialisedModule({ qubits: 20, layers: 1, gradient: GRADIENT.adjoint, paramInit: 1 }, [], 'host');
    const theta = lcgAngles(module.paramCount, 5, 2 * Math.PI);
    module.setParams(theta);
    const { status, gradient } = module.gradient();
    expect(status).toBe(STATUS.OK);
    expect(Math.abs(module.evaluate('train') - (1 - Math.cos(theta[0])) / 2)).toBeLessThan(1e-6);
    expect(Math.abs(gradient[0] - Math.sin(theta[0]) / 2)).toBeLessThan(1e-6);
    gradient.slice(1).forEach((g) => expect(Math.abs(g)).toBeLessThan(1e-6));
    expect(module.step().record.status).toBe(STATUS.OK);
  });

  it('accepts 4 096 parameters (hea, 16 qubits × 128 layers) and refuses more, or 21 qubits', () => {
    const module = initialisedModule({ qubits: 16, layers: 128, paramInit: 1 }, [], 'host');
    expect(module.paramCount).toBe(4096);
    expect(() => initialisedModule({ qubits: 17, layers: 128 }, [], 'host')).toThrow(/params/);
    expect(() => initialisedModule({ qubits: 21 }, [], 'host')).toThrow(/qubits/);
  });
});

describe('number formats against an f64 reference (hea, local cost, 5 random θ each)', () => {
  // Measured worst |L − L_ref|: Q1.30 2.8e−9 (4 qubits) … 2.0e−8 (10 qubits × 12 layers);
  // f32 2.3e−7 … 4.3e−7 (docs/abi.md "Number formats").
  const bounds: Record<ModuleBuild, number> = { device: 5e-8, 'device-f32': 2e-6, host: 2e-6 };
  it.each([
    [4, 2],
    [10, 2],
    [10, 12],
  ])('%i qubits × %i layers', (qubits, layers) => {
    const worst: Partial<Record<ModuleBuild, number>> = {};
    for (const build of Object.keys(bounds) as ModuleBuild[]) {
      let error = 0;
      for (let seed = 1; seed <= 5; seed++) {
        const module = initialisedModule({ qubits, layers, paramInit: 1 }, [], build);
        const theta = lcgAngles(module.paramCount, seed * 7, 2 * Math.PI);
        module.setParams(theta);
        error = Math.max(error, Math.abs(module.evaluate('train') - meanLoss({ qubits, layers, ansatz: 'hea', cost: 'local' }, theta)));
      }
      expect(error).toBeLessThan(bounds[build]);
      worst[build] = error;
    }
    expect(worst.device!).toBeLessThan(worst['device-f32']! / 10);
  });
});
