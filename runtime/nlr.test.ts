// Negative Learning Rate: the gated rule on a landscape where descent overshoots, and the
// schedules of the periodic, stochastic and patience variants.
import { describe, expect, it } from 'vitest';
import { NLR_MODE, OPTIMIZER, PHASE, type TelemetryRecord } from '../host/src/wasm/index.ts';
import { initialisedModule } from './testing/fixtures.ts';
import { ReferencePrng } from './testing/reference-prng.ts';

// 1 qubit HEA, local cost: L(θ) = (1 − cos θ₀)/2 (RZ(θ₁) does not change p(0)), ∂L/∂θ₀ = sin θ₀ / 2.
const landscape = (t: number) => (1 - Math.cos(t)) / 2;
const slope = (t: number) => Math.sin(t) / 2;
const TOLERANCE = 1e-6;

function nlrModule(overrides: Parameters<typeof initialisedModule>[0]) {
  return initialisedModule({ qubits: 1, optimizer: OPTIMIZER.nlr, paramInit: 1, nlrRatio: 0.5, ...overrides });
}

function run(module: ReturnType<typeof nlrModule>, steps: number): TelemetryRecord[] {
  return Array.from({ length: steps }, () => module.step().record);
}

describe('gated NLR', () => {
  it('ascends by ρηg when the trial descent overshoots (huge lr)', () => {
    const module = nlrModule({ nlrMode: NLR_MODE.gated, lr: 20 });
    module.setParams([0.5, 0]);
    const g = slope(0.5);
    const { record } = module.step();
    expect(record.phase).toBe(PHASE.negative);
    expect(Math.abs(record.trialLoss - landscape(0.5 - 20 * g))).toBeLessThan(TOLERANCE);
    expect(record.trialLoss).toBeGreaterThan(record.loss);
    expect(Math.abs(module.getParams()[0] - (0.5 + 0.5 * 20 * g))).toBeLessThan(1e-5);
    expect(record.evals).toBe(2 + 2 * 2);
  });

  it('keeps the trial descent when it improves (small lr)', () => {
    const module = nlrModule({ nlrMode: NLR_MODE.gated, lr: 0.1 });
    module.setParams([0.5, 0]);
    const records = run(module, 20);
    expect(records.every((r) => r.phase === PHASE.positive)).toBe(true);
    expect(Math.abs(records[0].trialLoss - landscape(0.5 - 0.1 * slope(0.5)))).toBeLessThan(TOLERANCE);
    expect(records[19].loss).toBeLessThan(records[0].loss);
  });
});

describe('gated NLR on a tie (the trial is kept when L(θ − ηg) ≤ L(θ), not only when <)', () => {
  it('exact: at θ = 0 the slope is 0, so the trial point is θ and its loss equals L(θ)', () => {
    const module = nlrModule({ nlrMode: NLR_MODE.gated, lr: 0.5 });
    module.setParams([0, 0]);
    const { record } = module.step();
    expect(record.gradNorm).toBe(0);
    expect(record.trialLoss).toBe(record.loss);
    expect(record.phase).toBe(PHASE.positive);
  });

  it('with shots, losses come in steps of 1/shots: ties are common and each keeps the descent', () => {
    const module = nlrModule({ nlrMode: NLR_MODE.gated, lr: 0.05, shotsPerEval: 8, shotBudget: 10 ** 9, seed: 5 });
    module.setParams([0.3, 0]);
    const records = run(module, 200);
    const ties = records.filter((r) => r.trialLoss === r.loss);
    expect(ties.length).toBeGreaterThan(20);
    expect(ties.every((r) => r.phase === PHASE.positive)).toBe(true);
    const worse = records.filter((r) => r.trialLoss > r.loss);
    expect(worse.length).toBeGreaterThan(0);
    expect(worse.every((r) => r.phase === PHASE.negative)).toBe(true);
  });
});

describe('scheduled NLR variants', () => {
  it('periodic: every k-th step ascends by ρη‖g‖, the others descend by η‖g‖', () => {
    const module = nlrModule({ nlrMode: NLR_MODE.periodic, nlrPeriod: 3, lr: 0.2 });
    module.setParams([1, 0.3]);
    const records: TelemetryRecord[] = [];
    for (let i = 0; i < 9; i++) {
      const [before] = module.getParams();
      const { record } = module.step();
      records.push(record);
      // The move itself, against the analytic slope: θ₀ − ηg on descents, θ₀ + ρηg on ascents.
      const move = record.phase === PHASE.negative ? 0.5 * 0.2 : -0.2;
      expect(Math.abs(module.getParams()[0] - (before + move * slope(before))), `step ${i + 1}`).toBeLessThan(1e-5);
    }
    expect(records.map((r) => r.phase)).toEqual([0, 0, 1, 0, 0, 1, 0, 0, 1]);
    for (const r of records) {
      const factor = r.phase === PHASE.negative ? 0.5 * 0.2 : 0.2;
      expect(Math.abs(r.stepNorm - factor * r.gradNorm)).toBeLessThan(1e-12);
      expect(r.trialLoss).toBeNaN();
    }
  });

  it("stochastic: ascends exactly when the step's PRNG draw is below p", () => {
    const seed = 99;
    const module = nlrModule({ nlrMode: NLR_MODE.stochastic, nlrProb: 0.3, seed, paramInit: 0, initRange: 3 });
    const prng = new ReferencePrng(seed);
    prng.nextUnit();
    prng.nextUnit();
    const steps = 400;
    const expected = Array.from({ length: steps }, () => (prng.nextUnit() < 0.3 ? 1 : 0));
    const phases = run(module, steps).map((r) => r.phase);
    expect(phases).toEqual(expected);
    const rate = phases.reduce((a: number, b) => a + b, 0) / steps;
    expect(Math.abs(rate - 0.3)).toBeLessThan(4 * Math.sqrt((0.3 * 0.7) / steps));
  });

  it('patience: ascends after m consecutive non-improving steps, then the count restarts', () => {
    // lr = 3 overshoots around the minimum, so the loss alternately rises and falls.
    const m = 2;
    const module = nlrModule({ nlrMode: NLR_MODE.patience, nlrPatience: m, lr: 3 });
    module.setParams([1.2, 0]);
    const records = run(module, 40);
    let count = 0;
    const expected = records.map((r, i) => {
      const improving = i === 0 || r.loss < records[i - 1].loss;
      count = improving ? 0 : count + 1;
      if (count >= m) {
        count = 0;
        return 1;
      }
      return 0;
    });
    expect(records.map((r) => r.phase)).toEqual(expected);
    expect(expected.filter((p) => p === 1).length).toBeGreaterThan(0);
    expect(expected.filter((p) => p === 0).length).toBeGreaterThan(0);
  });
});
