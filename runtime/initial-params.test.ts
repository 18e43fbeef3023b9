// θ₀ kinds (param_init), frozen parameters (train_from), perturbed steps and the gradient floor.
import { describe, expect, it } from 'vitest';
import { ANSATZ, COST, OPTIMIZER } from '../host/src/wasm/index.ts';
import { initialisedModule, twoClassSamples } from './testing/fixtures.ts';

const INIT = { uniform: 0, host: 1, gaussian: 2, 'identity-block': 3 } as const;

describe('param_init', () => {
  it('identity-block: pairs of hea-zy/hea layers are the identity, so both costs start at exactly |0…0⟩', () => {
    for (const ansatz of [ANSATZ['hea-zy'], ANSATZ.hea]) {
      const m = initialisedModule({ qubits: 4, layers: 4, ansatz, cost: COST.global, paramInit: INIT['identity-block'], seed: 3 });
      const theta = m.getParams();
      expect(theta.filter((t) => t !== 0).length).toBe(16); // the RZ angles of all four layers
      expect(m.evaluate('train')).toBeLessThan(1e-6);
    }
  });

  it('identity-block: an odd last layer is zeros (its CZ ladder alone acts on |0…0⟩ trivially)', () => {
    const m = initialisedModule({ qubits: 3, layers: 3, ansatz: ANSATZ['hea-zy'], cost: COST.local, paramInit: INIT['identity-block'] });
    const theta = Array.from(m.getParams());
    expect(theta.slice(12)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(theta.slice(6, 12)).toEqual(theta.slice(0, 6).map((t) => (t === 0 ? 0 : -t)));
  });

  it('identity-block is refused for mcclean and rxry-cnot', () => {
    expect(() => initialisedModule({ ansatz: ANSATZ.mcclean, paramInit: INIT['identity-block'] })).toThrow(/param_init/);
  });

  it('gaussian: 256 draws have mean ≈ 0 and SD ≈ init_range (tolerance 4 standard errors)', () => {
    const m = initialisedModule({ qubits: 8, layers: 16, ansatz: ANSATZ['hea-zy'], paramInit: INIT.gaussian, initRange: 0.1, seed: 5 });
    const theta = Array.from(m.getParams());
    const mean = theta.reduce((a, b) => a + b, 0) / theta.length;
    const sd = Math.sqrt(theta.reduce((a, b) => a + (b - mean) ** 2, 0) / (theta.length - 1));
    expect(Math.abs(mean)).toBeLessThan((4 * 0.1) / 16);
    expect(Math.abs(sd - 0.1)).toBeLessThan((4 * 0.1) / Math.sqrt(2 * 255));
  });
});

describe('train_from, perturb, grad_floor', () => {
  const samples = twoClassSamples(10, 4, 2);
  const base = { qubits: 4, layers: 2, ansatz: ANSATZ['hea-zy'], cost: COST['class-sq'], nFeatures: 4, nTrain: 10 };

  it('train_from: frozen parameters never move and cost no evaluations', () => {
    const m = initialisedModule({ ...base, trainFrom: 10, lr: 0.3 }, samples);
    const before = Array.from(m.getParams());
    const record = m.step().record;
    for (let i = 0; i < 5; i++) m.step();
    const after = Array.from(m.getParams());
    expect(after.slice(0, 10)).toEqual(before.slice(0, 10));
    expect(after.slice(10).some((t, j) => t !== before[10 + j])).toBe(true);
    expect(record.evals).toBe(10 * (1 + 2 * 6));
    expect(() => initialisedModule({ ...base, trainFrom: 16 }, samples)).toThrow(/train_from/);
  });

  it('perturb: with a negligible η each step moves θ by N(0, σ²) per parameter (‖Δθ‖²/P ≈ σ², 4 SE)', () => {
    const sigma = 0.05;
    const m = initialisedModule({ ...base, lr: 1e-12, perturb: sigma, seed: 9 }, samples);
    const squares: number[] = [];
    for (let i = 0; i < 100; i++) squares.push(m.step().record.stepNorm ** 2 / 16);
    const mean = squares.reduce((a, b) => a + b, 0) / squares.length;
    // ‖ξ‖²/P/σ² ~ χ²₁₆/16 has SD √(2/16): over 100 steps the SE of the mean is σ²·0.035.
    expect(Math.abs(mean / sigma ** 2 - 1)).toBeLessThan((4 * Math.sqrt(2 / 16)) / 10);
  });

  it('grad_floor: exact-mode Adam leaves the old model’s dead parameters where they are; without it they drift', () => {
    const old = {
      qubits: 4,
      layers: 2,
      ansatz: ANSATZ.hea,
      cost: COST['class-sq'],
      nFeatures: 4,
      nTrain: 10,
      optimizer: OPTIMIZER.adam,
      lr: 0.1,
    };
    // 12 of the 16 parameters lie outside ⟨Z₀⟩'s light cone or are last-layer RZ gates: their
    // exact gradient is 0, computed as 0 or as f32 rounding noise below 1e−6.
    const dead = [3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15];
    const drift = (gradFloor: number) => {
      const m = initialisedModule({ ...old, gradFloor }, samples);
      const g = m.gradient().gradient;
      expect(Math.max(...dead.map((j) => Math.abs(g[j])))).toBeLessThan(1e-6);
      const before = Array.from(m.getParams());
      for (let i = 0; i < 30; i++) m.step();
      const after = m.getParams();
      return dead.map((j) => Math.abs(after[j] - before[j]));
    };
    expect(Math.max(...drift(0))).toBeGreaterThan(0.1);
    expect(Math.max(...drift(1e-6))).toBe(0);
  });
});
