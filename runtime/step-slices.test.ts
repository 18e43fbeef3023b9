// step_begin()/step_continue(budget): a step run in slices leaves the same telemetry bytes and θ
// as step(), for every gradient kind, NLR's trial pass, mini-batches and shots; the protocol of
// the return values; and what abandons a sliced step.
import { describe, expect, it } from 'vitest';
import { COST, GRADIENT, OPTIMIZER, STATUS, type AbiConfig } from '../host/src/wasm/index.ts';
import { freshModule, initialisedModule, packSamples, twoClassSamples } from './testing/fixtures.ts';

const MORE = 1;
const DONE = 0;
const IDLE = -1;
const samples = twoClassSamples(6, 3, 12);
const classification: Partial<AbiConfig> = { qubits: 3, layers: 2, cost: COST['class-sq'], nFeatures: 3, nTrain: 6, batch: 4 };

const configs: [string, Partial<AbiConfig>][] = [
  ['parameter shift, NLR gated, mini-batches', { ...classification, optimizer: OPTIMIZER.nlr, gradient: GRADIENT['parameter-shift'] }],
  ['adjoint, adam', { ...classification, optimizer: OPTIMIZER.adam, gradient: GRADIENT.adjoint }],
  ['spsa with shots', { ...classification, optimizer: OPTIMIZER.spsa, shotsPerEval: 100, shotBudget: 10 ** 9 }],
  ['shift with shots, NLR gated', { ...classification, optimizer: OPTIMIZER.nlr, shotsPerEval: 50, shotBudget: 10 ** 9 }],
  ['local cost, adjoint, NLR', { qubits: 4, layers: 3, optimizer: OPTIMIZER.nlr, gradient: GRADIENT.adjoint }],
];

describe.each(configs)('%s', (_name, config) => {
  it.each([1, 2, 7])('sliced with budget %i equals step(), record for record', (budget) => {
    const whole = initialisedModule(config, samples);
    const sliced = initialisedModule(config, samples);
    for (let k = 0; k < 4; k++) {
      const expected = whole.step();
      expect(sliced.stepBegin()).toBe(STATUS.OK);
      let calls = 0;
      let result = MORE;
      while (result === MORE) {
        result = sliced.stepContinue(budget);
        calls++;
        // An evaluation between slices is exact and uses no draw: it must not disturb the step.
        if (result === MORE) sliced.evaluate('train');
      }
      expect(result).toBe(DONE);
      expect(calls).toBeGreaterThanOrEqual(Math.floor(expected.record.evals / (budget + 3)));
      expect(sliced.telemetryBytes()).toEqual(expected.raw);
      expect(sliced.getParams()).toEqual(whole.getParams());
    }
  });
});

describe('slicing protocol', () => {
  it('step_continue without a started step answers −1 and writes nothing', () => {
    const module = initialisedModule({ qubits: 2 });
    expect(module.stepContinue(5)).toBe(IDLE);
    module.step();
    const record = module.telemetryBytes();
    expect(module.stepContinue(5)).toBe(IDLE);
    expect(module.telemetryBytes()).toEqual(record);
  });

  it('step_begin before init reports NOT_INITIALISED with an idle record, like step()', () => {
    const module = freshModule();
    expect(module.stepBegin()).toBe(STATUS.NOT_INITIALISED);
    expect(module.stepContinue(1)).toBe(IDLE);
  });

  it('step_begin refuses a step the shot budget cannot pay for', () => {
    // 1 qubit, P = 2: 5 evaluations × 10 shots per step.
    const module = initialisedModule({ qubits: 1, shotsPerEval: 10, shotBudget: 60 });
    expect(module.step().status).toBe(STATUS.OK);
    expect(module.stepBegin()).toBe(STATUS.BUDGET_EXHAUSTED);
    expect(module.stepContinue(1)).toBe(IDLE);
  });

  it('a budget of 0 or less does nothing and answers "more"', () => {
    const whole = initialisedModule({ qubits: 2, layers: 1 });
    const sliced = initialisedModule({ qubits: 2, layers: 1 });
    const expected = whole.step();
    expect(sliced.stepBegin()).toBe(STATUS.OK);
    expect(sliced.stepContinue(0)).toBe(MORE);
    expect(sliced.stepContinue(-5)).toBe(MORE);
    while (sliced.stepContinue(1) === MORE);
    expect(sliced.telemetryBytes()).toEqual(expected.raw);
  });

  it('a budget of one unit advances one evaluation at a time (parameter shift)', () => {
    const module = initialisedModule({ qubits: 2, layers: 1, gradient: GRADIENT['parameter-shift'] });
    expect(module.stepBegin()).toBe(STATUS.OK);
    let calls = 0;
    while (module.stepContinue(1) === MORE) calls++;
    // 1 + 2·4 evaluations; the last call also finishes the step.
    expect(calls + 1).toBe(1 + 2 * 4);
  });

  it('init(), step(), gradient() and sv_reset() abandon an unfinished step', () => {
    const module = initialisedModule({ qubits: 2, layers: 2, gradient: GRADIENT['parameter-shift'] });
    const theta = module.getParams();
    expect(module.stepBegin()).toBe(STATUS.OK);
    expect(module.stepContinue(3)).toBe(MORE);
    expect(module.gradient().status).toBe(STATUS.OK);
    expect(module.stepContinue(3)).toBe(IDLE);
    expect(module.getParams()).toEqual(theta);

    expect(module.stepBegin()).toBe(STATUS.OK);
    expect(module.stepContinue(3)).toBe(MORE);
    expect(module.step().record.step).toBe(1);
    expect(module.stepContinue(3)).toBe(IDLE);

    expect(module.stepBegin()).toBe(STATUS.OK);
    expect(module.stepContinue(3)).toBe(MORE);
    module.svReset(3);
    expect(module.stepContinue(3)).toBe(IDLE);

    expect(module.stepBegin()).toBe(STATUS.OK);
    expect(module.stepContinue(3)).toBe(MORE);
    module.writeDataset(packSamples(samples));
    expect(module.init()).toBe(0);
    expect(module.stepContinue(3)).toBe(IDLE);
  });
});
