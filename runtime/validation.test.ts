// init() rejects every invalid config naming the field; unused fields are not checked.
import { describe, expect, it } from 'vitest';
import {
  COST,
  GRADIENT,
  INIT_ERROR,
  NLR_MODE,
  OPTIMIZER,
  initErrorName,
  type AbiConfig,
  type InitErrorName,
} from '../host/src/wasm/index.ts';
import { abiConfig, freshModule, packSamples, twoClassSamples } from './testing/fixtures.ts';
import type { Sample } from './testing/reference-model.ts';
import { INIT_ERROR_TEXTS as ERROR_TEXTS, UNKNOWN_ERROR_TEXT } from '../host/src/wasm/abi.ts';

const samples = twoClassSamples(10, 2, 4);
const classification: Partial<AbiConfig> = { cost: COST['class-sq'], nFeatures: 2, nTrain: 8, nTest: 2 };
const nlr = (mode: keyof typeof NLR_MODE): Partial<AbiConfig> => ({ optimizer: OPTIMIZER.nlr, nlrMode: NLR_MODE[mode] });
const withLabel = (label: number): Sample[] => samples.map((s, i) => (i === 3 ? { ...s, label } : s));
const withFeature = (value: number): Sample[] => samples.map((s, i) => (i === 5 ? { ...s, features: [value, 0] } : s));

type Case = [InitErrorName, Partial<AbiConfig>, Sample[]?];
const cases: Case[] = [
  ['abi_version', { abiVersion: 2 }],
  ['qubits', { qubits: 0 }],
  ['qubits', { qubits: 11 }],
  ['layers', { layers: 0 }],
  ['layers', { layers: 65 }],
  ['params', { qubits: 10, layers: 13 }],
  ['ansatz', { ansatz: 4 }],
  ['cost', { cost: 4 }],
  ['optimizer', { optimizer: 5 }],
  ['gradient', { gradient: 3 }],
  ['gradient', { gradient: GRADIENT.adjoint, shotsPerEval: 10, shotBudget: 1000 }],
  ['lr', { lr: 0 }],
  ['lr', { lr: -0.1 }],
  ['lr', { lr: Number.NaN }],
  ['lr', { lr: Number.POSITIVE_INFINITY }],
  ['momentum', { optimizer: OPTIMIZER.momentum, momentum: 1 }],
  ['momentum', { optimizer: OPTIMIZER.momentum, momentum: -0.1 }],
  ['beta1', { optimizer: OPTIMIZER.adam, beta1: 1 }],
  ['beta2', { optimizer: OPTIMIZER.adam, beta2: Number.NaN }],
  ['eps', { optimizer: OPTIMIZER.adam, eps: 0 }],
  ['nlr_mode', { optimizer: OPTIMIZER.nlr, nlrMode: 4 }],
  ['nlr_ratio', { ...nlr('gated'), nlrRatio: 0 }],
  ['nlr_ratio', { ...nlr('gated'), nlrRatio: Number.POSITIVE_INFINITY }],
  ['nlr_period', { ...nlr('periodic'), nlrPeriod: 1 }],
  ['nlr_prob', { ...nlr('stochastic'), nlrProb: 0 }],
  ['nlr_prob', { ...nlr('stochastic'), nlrProb: 1.5 }],
  ['nlr_patience', { ...nlr('patience'), nlrPatience: 0 }],
  ['batch', { ...classification, batch: 9 }, samples],
  ['shots_per_eval', { shotsPerEval: 1_000_001, shotBudget: 1 }],
  ['shot_budget', { shotsPerEval: 10, shotBudget: 0 }],
  ['shot_budget', { shotsPerEval: 0, shotBudget: 5 }],
  ['n_features', { ...classification, nFeatures: 0 }, samples],
  ['n_features', { ...classification, nFeatures: 3 }, samples],
  ['dataset', { ...classification, nTrain: 200, nTest: 57 }, samples],
  ['dataset', classification, withFeature(Number.NaN)],
  ['labels', classification, withLabel(0.5)],
  ['labels', { ...classification, nTrain: 0, nTest: 10 }, samples],
  ['spsa_c', { optimizer: OPTIMIZER.spsa, spsaC: 0 }],
  ['spsa_c', { gradient: GRADIENT.spsa, spsaC: -1 }],
  ['init_range', { initRange: 0 }],
  ['param_init', { paramInit: 4 }],
  ['param_init', { paramInit: 3, ansatz: 1 }],
  ['readout', { readout: 2 }],
  ['reupload', { reupload: 2 }],
  ['train_from', { trainFrom: 4 }],
  ['perturb', { perturb: -0.1 }],
  ['grad_floor', { gradFloor: NaN }],
];

describe('invalid configs', () => {
  it.each(cases)('%s rejected (%o)', (field, overrides, data) => {
    const module = freshModule();
    module.writeConfig(abiConfig(overrides));
    if (data) module.writeDataset(packSamples(data));
    const code = module.init();
    expect(initErrorName(code)).toBe(field);
    expect(code).toBe(INIT_ERROR[field]);
    expect(module.errorMessage(code)).toMatch(new RegExp(`^${field}: must|^${field}: `));
  });

  it('covers every error code of the ABI', () => {
    const named = new Set(cases.map(([field]) => field));
    expect([...named].sort()).toEqual(
      Object.keys(INIT_ERROR)
        .filter((k) => k !== 'ok')
        .sort(),
    );
  });

  it('accepts a config again after fixing the field', () => {
    const module = freshModule();
    module.writeConfig(abiConfig({ qubits: 0 }));
    expect(module.init()).toBe(INIT_ERROR.qubits);
    module.writeConfig(abiConfig({ qubits: 3 }));
    expect(module.init()).toBe(0);
    expect(module.paramCount).toBe(6);
  });
});

describe('unused fields are not validated', () => {
  it('sgd ignores momentum, Adam, NLR and SPSA fields; local cost ignores the dataset fields', () => {
    const module = freshModule();
    module.writeConfig(
      abiConfig({
        momentum: 7,
        beta1: Number.NaN,
        beta2: -1,
        eps: 0,
        nlrMode: 9,
        nlrRatio: 0,
        nlrPeriod: 0,
        nlrProb: 0,
        nlrPatience: 0,
        spsaC: 0,
        batch: 99,
        nFeatures: 0,
        nTrain: 5000,
        paramInit: 1,
        initRange: 0,
      }),
    );
    expect(module.init()).toBe(0);
  });
});

describe('error texts', () => {
  const module = freshModule();
  const { maxQubits, maxParams, maxSamples } = module.capacities;

  it('quote the module capacities', () => {
    expect(module.errorMessage(INIT_ERROR.qubits)).toContain(`1..${maxQubits}`);
    expect(module.errorMessage(INIT_ERROR.params)).toContain(String(maxParams));
    expect(module.errorMessage(INIT_ERROR.dataset)).toContain(String(maxSamples));
  });

  it('are distinct for every code and name unknown codes', () => {
    const texts = Object.values(INIT_ERROR).map((code) => module.errorMessage(code));
    expect(new Set(texts).size).toBe(texts.length);
    expect(module.errorMessage(999)).toBe('unknown error code');
  });

  it('are the table of abi/qiot-abi.ts, one entry per code, and the unknown text outside it', () => {
    expect(ERROR_TEXTS).toHaveLength(Object.keys(INIT_ERROR).length);
    for (const code of Object.values(INIT_ERROR)) expect(module.errorMessage(code)).toBe(ERROR_TEXTS[code]);
    for (const code of [-1, ERROR_TEXTS.length, 255, 2 ** 31 - 1, -(2 ** 31)]) {
      expect(module.errorMessage(code)).toBe(UNKNOWN_ERROR_TEXT);
    }
  });
});
