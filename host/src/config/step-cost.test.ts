// The step-cost estimate against hand-counted circuits, and the bound's refusal text.
import { describe, expect, it } from 'vitest';
import { parseConfig } from './load.ts';
import { ConfigError } from './errors.ts';
import { checkStepCost, estimateStepCost, MAX_STEP_AMPLITUDE_UPDATES } from './step-cost.ts';

// Issue 15's deaf-making config: 10 qubits × 12 layers hea (240 parameters), exact.
const wide = (gradient: string, batch: number) =>
  parseConfig({
    qubits: 10,
    layers: 12,
    cost: 'class-sq',
    dataset: { name: 'synthetic', samples: 250, features: 10, test_fraction: 0.2 },
    optimizer: { name: 'sgd', lr: 0.1, gradient },
    batch,
  });

describe('estimateStepCost', () => {
  it('counts a loss pass plus 2P shifted circuits per sample for parameter shift', () => {
    const cost = estimateStepCost(wide('parameter-shift', 8), 200);
    expect(cost.units).toBe(8 * (1 + 2 * 240));
    expect(cost.gates).toBe(240 + 2 * 12 * 10);
    expect(cost.amplitudeUpdates).toBe(3848 * 480 * 1024);
  });

  it('counts 4 units per adjoint sample, 2 per SPSA sample, and the gated-NLR trial pass', () => {
    expect(estimateStepCost(wide('adjoint', 8), 200).units).toBe(8 * 5);
    const spsa = parseConfig({ qubits: 2, layers: 1, cost: 'local', optimizer: { name: 'spsa', lr: 0.1 } });
    expect(estimateStepCost(spsa, 1).units).toBe(1 + 2);
    const nlr = parseConfig({ qubits: 2, layers: 1, cost: 'local', optimizer: { name: 'nlr', lr: 0.1, nlr: { mode: 'gated' } } });
    expect(estimateStepCost(nlr, 1).units).toBe(1 + 4 + 1);
  });

  it('batch 0 is the whole training set', () => {
    expect(estimateStepCost(wide('adjoint', 0), 200).units).toBe(200 * 5);
  });
});

describe('checkStepCost', () => {
  it("passes issue 15's 8-sample parameter-shift step and refuses the 200-sample one, naming the estimate", () => {
    expect(() => checkStepCost(wide('parameter-shift', 8), 200, 'c.json', false)).not.toThrow();
    const slow = wide('parameter-shift', 200);
    expect(estimateStepCost(slow, 200).amplitudeUpdates).toBeGreaterThan(MAX_STEP_AMPLITUDE_UPDATES);
    expect(() => checkStepCost(slow, 200, 'c.json', false)).toThrow(ConfigError);
    expect(() => checkStepCost(slow, 200, 'c.json', false)).toThrow(
      /one step is estimated at 4\.73e\+10 amplitude updates \(96200 circuit evaluations × 480 gates × 2\^10 amplitudes\).*--allow-slow/,
    );
    expect(() => checkStepCost(slow, 200, 'c.json', true)).not.toThrow();
  });
});
