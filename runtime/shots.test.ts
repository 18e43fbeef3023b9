// Sampled evaluations: unbiased within stated σ bounds, charged exactly, and the budget
// stops a run before a step it cannot afford.
import { describe, expect, it } from 'vitest';
import { STATUS } from '../host/src/wasm/index.ts';
import { abiConfig, freshModule, initialisedModule } from './testing/fixtures.ts';

describe('sampled expectations', () => {
  const shots = 1000;
  const theta = [1.1, 0]; // 1 qubit HEA: RY(1.1) then RZ(0): p(0) = cos²(0.55)
  const p0 = Math.cos(0.55) ** 2;
  const sigma = Math.sqrt((p0 * (1 - p0)) / shots);

  it('each sampled loss lies within 4σ of the exact one, and their mean within 4σ/√n', () => {
    const module = initialisedModule({ qubits: 1, shotsPerEval: shots, shotBudget: 10 ** 9, paramInit: 1 });
    const losses: number[] = [];
    for (let i = 0; i < 200; i++) {
      module.setParams(theta);
      const { record } = module.step();
      expect(record.status).toBe(STATUS.OK);
      losses.push(record.loss);
      expect(Math.abs(record.loss - (1 - p0))).toBeLessThan(4 * sigma);
      // 1 − hits/s: a whole number of hits.
      expect(Math.abs(record.loss * shots - Math.round(record.loss * shots))).toBeLessThan(1e-9);
    }
    const mean = losses.reduce((a, b) => a + b, 0) / losses.length;
    expect(Math.abs(mean - (1 - p0))).toBeLessThan((4 * sigma) / Math.sqrt(losses.length));
    const variance = losses.reduce((a, b) => a + (b - mean) ** 2, 0) / (losses.length - 1);
    // The sample variance of 200 draws is within ±40 % of σ²: s²/σ² ~ χ²₁₉₉/199 has sd √(2/199) ≈ 10 %, so this is a 4σ bound.
    expect(variance / sigma ** 2).toBeGreaterThan(0.6);
    expect(variance / sigma ** 2).toBeLessThan(1.4);
  });

  it('charges shots_per_eval for every evaluation', () => {
    const module = initialisedModule({ qubits: 1, shotsPerEval: 50, shotBudget: 10 ** 6 });
    const first = module.step().record;
    expect(first.evals).toBe(1 + 2 * 2);
    expect(first.shots).toBe(first.evals * 50);
    const second = module.step().record;
    expect(second.shotsTotal).toBe(first.shots + second.shots);
  });
});

describe('shot budget', () => {
  // 1 qubit HEA, P = 2, parameter shift: 1 + 2·2 = 5 evaluations × 100 shots = 500 per step.
  const perStep = 500;

  // 1900 and 1999 lie between 3 whole steps and 4 (one evaluation short of the 4th): a check
  // that allowed one evaluation too many would run a 4th step there.
  it.each([1700, 1900, 1999, 2000])('budget %i allows floor(budget / 500) whole steps, then stops with θ unchanged', (budget) => {
    const module = initialisedModule({ qubits: 1, shotsPerEval: 100, shotBudget: budget });
    const allowed = Math.floor(budget / perStep);
    for (let k = 1; k <= allowed; k++) {
      const { status, record } = module.step();
      expect(status).toBe(STATUS.OK);
      expect(record.shotsTotal).toBe(k * perStep);
    }
    const before = module.getParams();
    for (let attempt = 0; attempt < 2; attempt++) {
      const { status, record } = module.step();
      expect(status).toBe(STATUS.BUDGET_EXHAUSTED);
      expect(record.statusName).toBe('BUDGET_EXHAUSTED');
      expect(record.step).toBe(allowed);
      expect(record.shots).toBe(0);
      expect(record.shotsTotal).toBe(allowed * perStep);
      expect(record.shotsTotal).toBeLessThanOrEqual(budget);
      expect(module.getParams()).toEqual(before);
    }
    expect(module.gradient().status).toBe(STATUS.BUDGET_EXHAUSTED);
  });

  // gradient() alone: 1 + 2·2 = 5 evaluations × 100 shots = 500.
  it.each([
    [399, STATUS.BUDGET_EXHAUSTED],
    [499, STATUS.BUDGET_EXHAUSTED],
    [500, STATUS.OK],
  ])('gradient() with budget %i gives status %i (2 = BUDGET_EXHAUSTED)', (budget, want) => {
    const module = initialisedModule({ qubits: 1, shotsPerEval: 100, shotBudget: budget });
    expect(module.gradient().status).toBe(want);
  });

  it('step and gradient before a successful init report NOT_INITIALISED', () => {
    const module = freshModule();
    expect(module.step().status).toBe(STATUS.NOT_INITIALISED);
    expect(module.gradient().status).toBe(STATUS.NOT_INITIALISED);
    module.writeConfig(abiConfig({ qubits: 1 }));
    expect(module.init()).toBe(0);
    expect(module.step().status).toBe(STATUS.OK);
    module.writeConfig(abiConfig({ qubits: 0 }));
    expect(module.init()).not.toBe(0);
    const { status, record } = module.step();
    expect(status).toBe(STATUS.NOT_INITIALISED);
    expect(record.evals).toBe(0);
  });
});
