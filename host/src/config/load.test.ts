import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.ts';
import { HOST_BUILD_LIMITS } from './limits.ts';
import { loadConfig, parseConfig } from './load.ts';

function problemsOf(value: unknown): { field: string; message: string }[] {
  try {
    parseConfig(value);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('config was accepted');
}

const classification = { cost: 'class-sq', dataset: { name: 'synthetic' } };

describe('parseConfig defaults', () => {
  it('fills every field of an empty config with the documented defaults', () => {
    const cfg = parseConfig({});
    expect(cfg).toEqual({
      qubits: 4,
      layers: 2,
      ansatz: 'hea',
      cost: 'local',
      dataset: { name: 'none', test_fraction: 0.25 },
      optimizer: {
        name: 'nlr',
        gradient: 'adjoint',
        lr: 0.1,
        momentum: 0.9,
        beta1: 0.9,
        beta2: 0.999,
        eps: 1e-8,
        spsa_c: 0.1,
        perturb: 0,
        grad_floor: 0,
        nlr: { ratio: 0.5, mode: 'gated', period: 10, prob: 0.1, patience: 5 },
      },
      shots: { per_eval: 0, budget: 0 },
      steps: 100,
      batch: 0,
      seed: 1,
      readout: 'z0',
      reupload: 0,
      init: 'uniform',
      init_range: 2 * Math.PI,
      train_from: 0,
    });
  });

  it('defaults the gradient to adjoint in exact mode and parameter-shift with shots; refuses adjoint with shots', () => {
    expect(parseConfig({ shots: { per_eval: 100, budget: 10_000 } }).optimizer.gradient).toBe('parameter-shift');
    expect(parseConfig({ optimizer: { name: 'spsa' } }).optimizer.gradient).toBe('spsa');
    expect(() => parseConfig({ optimizer: { gradient: 'adjoint' }, shots: { per_eval: 100, budget: 10_000 } })).toThrow(
      /optimizer\.gradient: 'adjoint' needs exact mode/,
    );
  });

  it("accepts the host build's capacities only when asked to", () => {
    expect(() => parseConfig({ qubits: 16, layers: 128 }, 'cfg', HOST_BUILD_LIMITS)).not.toThrow();
    expect(() => parseConfig({ qubits: 16 })).toThrow(/qubits: must be ≤ 10 \(got 16\)/);
    expect(() => parseConfig({ qubits: 21 }, 'cfg', HOST_BUILD_LIMITS)).toThrow(/qubits: must be ≤ 20/);
  });

  it('keeps given values and fills the rest of a partial nested object', () => {
    const cfg = parseConfig({ optimizer: { name: 'adam', lr: 0.01, nlr: { mode: 'periodic' } } });
    expect(cfg.optimizer.name).toBe('adam');
    expect(cfg.optimizer.lr).toBe(0.01);
    expect(cfg.optimizer.beta2).toBe(0.999);
    expect(cfg.optimizer.nlr).toEqual({ ratio: 0.5, mode: 'periodic', period: 10, prob: 0.1, patience: 5 });
  });
});

describe('parseConfig rejects each bad field, naming it', () => {
  const cases: [string, unknown, string, RegExp][] = [
    ['qubits above capacity', { qubits: 11 }, 'qubits', /≤ 10 \(got 11\)/],
    ['qubits zero', { qubits: 0 }, 'qubits', /≥ 1 \(got 0\)/],
    ['qubits fractional', { qubits: 2.5 }, 'qubits', /integer/],
    ['qubits as string', { qubits: '4' }, 'qubits', /must be a number \(got '4'\)/],
    ['layers', { layers: 65 }, 'layers', /≤ 64/],
    ['ansatz', { ansatz: 'qaoa' }, 'ansatz', /one of 'hea', 'mcclean', 'rxry-cnot', 'hea-zy' \(got 'qaoa'\)/],
    ['cost', { cost: 'fidelity' }, 'cost', /one of 'local', 'global', 'class-sq', 'class-xent'/],
    ['optimizer name', { optimizer: { name: 'rmsprop' } }, 'optimizer.name', /'sgd', 'momentum', 'adam', 'spsa', 'nlr'/],
    ['lr negative', { optimizer: { lr: -1 } }, 'optimizer.lr', /^must be > 0 \(got -1\)$/],
    ['lr zero', { optimizer: { lr: 0 } }, 'optimizer.lr', /> 0 \(got 0\)/],
    ['momentum 1', { optimizer: { momentum: 1 } }, 'optimizer.momentum', /< 1/],
    ['beta1 negative', { optimizer: { beta1: -0.1 } }, 'optimizer.beta1', /≥ 0/],
    ['beta2 1', { optimizer: { beta2: 1 } }, 'optimizer.beta2', /< 1/],
    ['eps', { optimizer: { eps: 0 } }, 'optimizer.eps', /> 0/],
    ['spsa_c', { optimizer: { spsa_c: -0.2 } }, 'optimizer.spsa_c', /> 0/],
    ['gradient', { optimizer: { gradient: 'finite-difference' } }, 'optimizer.gradient', /'parameter-shift', 'spsa', 'adjoint'/],
    ['nlr ratio', { optimizer: { nlr: { ratio: 0 } } }, 'optimizer.nlr.ratio', /> 0/],
    ['nlr mode', { optimizer: { nlr: { mode: 'always' } } }, 'optimizer.nlr.mode', /'gated', 'periodic', 'stochastic', 'patience'/],
    ['nlr period', { optimizer: { nlr: { period: 1 } } }, 'optimizer.nlr.period', /≥ 2/],
    ['nlr prob', { optimizer: { nlr: { prob: 1.5 } } }, 'optimizer.nlr.prob', /≤ 1/],
    ['nlr patience', { optimizer: { nlr: { patience: 0 } } }, 'optimizer.nlr.patience', /≥ 1/],
    ['shots per_eval', { shots: { per_eval: 2_000_000, budget: 1 } }, 'shots.per_eval', /≤ 1000000/],
    ['shots budget negative', { shots: { budget: -5 } }, 'shots.budget', /≥ 0/],
    ['steps negative', { steps: -1 }, 'steps', /≥ 0/],
    ['steps beyond the limit', { steps: 2_000_000 }, 'steps', /≤ 1000000/],
    ['batch negative', { batch: -1 }, 'batch', /≥ 0/],
    ['seed negative', { seed: -3 }, 'seed', /≥ 0/],
    ['seed beyond 2^53', { seed: 2 ** 60 }, 'seed', /^must be ≤ 9007199254740991 \(got 1152921504606847000\)$/],
    ['steps beyond 2^53', { steps: 1e20 }, 'steps', /^must be ≤ 1000000 \(got 100000000000000000000\)$/],
    ['seed below −2^53', { seed: -(2 ** 60) }, 'seed', /^must be ≥ 0 /],
    ['steps not whole', { steps: 2.5 }, 'steps', /^must be an integer \(got 2\.5\)$/],
    ['init_range', { init_range: 0 }, 'init_range', /> 0/],
    ['dataset name', { dataset: { name: 'mnist' } }, 'dataset.name', /'iris', 'synthetic', 'none'/],
    ['dataset samples', { ...classification, dataset: { name: 'synthetic', samples: 1000 } }, 'dataset.samples', /≤ 256/],
    ['dataset test_fraction', { ...classification, dataset: { name: 'synthetic', test_fraction: 1 } }, 'dataset.test_fraction', /< 1/],
    ['dataset separation', { ...classification, dataset: { name: 'synthetic', separation: -1 } }, 'dataset.separation', /> 0/],
    [
      'iris pair',
      { ...classification, dataset: { name: 'iris', pair: 'setosa-virginica' } },
      'dataset.pair',
      /'setosa-versicolor', 'versicolor-virginica'/,
    ],
    ['top-level not an object', [], '', /object/],
  ];
  it.each(cases)('%s', (_label, value, field, pattern) => {
    const problems = problemsOf(value);
    const hit = problems.find((p) => p.field === field);
    expect(hit, JSON.stringify(problems)).toBeDefined();
    expect(hit!.message).toMatch(pattern);
  });

  it('rejects unknown keys with their full path', () => {
    const problems = problemsOf({ optimizer: { lr: 0.1, learning_rate: 0.1 }, qbits: 3 });
    expect(problems).toContainEqual({ field: 'optimizer.learning_rate', message: 'unknown key' });
    expect(problems).toContainEqual({ field: 'qbits', message: 'unknown key' });
  });

  it('reports every problem at once, not only the first', () => {
    const problems = problemsOf({ qubits: 0, optimizer: { lr: -1 }, ansatz: 'x' });
    expect(problems.map((p) => p.field).sort()).toEqual(['ansatz', 'optimizer.lr', 'qubits']);
  });

  it('puts field and message in the error text', () => {
    expect(() => parseConfig({ optimizer: { lr: -1 } }, 'run.json')).toThrow(
      /invalid config run\.json:\n {2}optimizer\.lr: must be > 0 \(got -1\)/,
    );
  });
});

describe('parseConfig cross-field rules', () => {
  const cases: [string, unknown, string, RegExp][] = [
    [
      'features above qubits',
      { qubits: 3, ...classification, dataset: { name: 'synthetic', features: 4 } },
      'dataset.features',
      /4 features need at least 4 qubits \(qubits is 3\)/,
    ],
    ['Iris needs 4 features', { ...classification, dataset: { name: 'iris', features: 3 } }, 'dataset.features', /exactly 4/],
    ['Iris needs 4 qubits', { qubits: 3, ...classification, dataset: { name: 'iris' } }, 'dataset.features', /need at least 4 qubits/],
    ['Iris has 100 samples per pair', { ...classification, dataset: { name: 'iris', samples: 120 } }, 'dataset.samples', /at most 100/],
    ['sampled mode needs a budget', { shots: { per_eval: 100 } }, 'shots.budget', /must be > 0 when shots.per_eval is 100/],
    ['exact mode has no budget', { shots: { budget: 1000 } }, 'shots.budget', /must be 0 when shots.per_eval is 0/],
    ['classification needs a dataset', { cost: 'class-xent' }, 'dataset.name', /needs a dataset/],
    ['local cost takes no dataset', { dataset: { name: 'iris' } }, 'dataset.name', /does not use a dataset/],
    ['too many parameters', { qubits: 10, layers: 13 }, 'layers', /260 parameters; at most 256/],
    ['batch above training set', { ...classification, batch: 80 }, 'batch', /≤ the 75 training samples \(got 80\)/],
    ['batch without dataset', { batch: 4 }, 'batch', /must be 0 without a dataset/],
    ['dataset fields without a dataset', { dataset: { name: 'none', samples: 10 } }, 'dataset.samples', /only used with a dataset/],
    [
      'separation on Iris',
      { ...classification, dataset: { name: 'iris', separation: 2 } },
      'dataset.separation',
      /only used with dataset.name 'synthetic'/,
    ],
  ];
  it.each(cases)('%s', (_label, value, field, pattern) => {
    const hit = problemsOf(value).find((p) => p.field === field);
    expect(hit).toBeDefined();
    expect(hit!.message).toMatch(pattern);
  });

  it('accepts the largest configuration the module allows', () => {
    expect(() => parseConfig({ qubits: 10, layers: 12, ansatz: 'hea' })).not.toThrow();
    expect(() => parseConfig({ qubits: 10, layers: 25, ansatz: 'mcclean' })).not.toThrow();
  });
});

describe('loadConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qiot-config-'));
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('names a missing file', () => {
    const path = join(dir, 'absent.json');
    expect(() => loadConfig(path)).toThrow(`invalid config ${path}:\n  cannot read the file: no such file`);
  });

  it('gives line and column of a syntax error', () => {
    const path = write('trailing.json', '{\n  "qubits": 4,\n  "layers": 2,\n}\n');
    expect(() => loadConfig(path)).toThrow(/line 4, column 1: property name expected/);
    const unclosed = write('unclosed.json', '{\n  "qubits": 4\n');
    expect(() => loadConfig(unclosed)).toThrow(/line 3, column 1: close brace expected/);
  });

  it('validates the file content and applies overrides before validation', () => {
    const path = write('ok.json', JSON.stringify({ steps: 20, optimizer: { name: 'sgd', lr: 0.2 } }));
    const cfg = loadConfig(path, { steps: 7, seed: 9, optimizer: 'adam' });
    expect([cfg.steps, cfg.seed, cfg.optimizer.name, cfg.optimizer.lr]).toEqual([7, 9, 'adam', 0.2]);
    expect(() => loadConfig(path, { optimizer: 'rmsprop' })).toThrow(/optimizer\.name: must be one of/);
    expect(() => loadConfig(path, { lr: -2 })).toThrow(/optimizer\.lr: must be > 0 \(got -2\)/);
  });
});

describe('schedule', () => {
  it('names the field of every bad schedule', () => {
    const steps = { steps: 40 };
    expect(problemsOf({ ...steps, schedule: { kind: 'restart', count: 2 } })).toEqual([
      { field: 'schedule.kind', message: "must be one of 'layerwise', 'restarts' (got 'restart')" },
    ]);
    expect(problemsOf({ ...steps, schedule: { kind: 'restarts' } })).toEqual([{ field: 'schedule.count', message: 'is required' }]);
    expect(problemsOf({ ...steps, schedule: { kind: 'restarts', count: 1, every: 2 } })).toEqual([
      { field: 'schedule.count', message: 'must be ≥ 2 (got 1)' },
      { field: 'schedule.every', message: 'unknown key' },
    ]);
    expect(problemsOf({ ...steps, layers: 3, schedule: { kind: 'layerwise', groups: 4 } })).toEqual([
      { field: 'schedule.groups', message: 'must be ≤ layers (3): each group adds at least one layer' },
    ]);
    expect(problemsOf({ layers: 4, steps: 7, train_from: 2, schedule: { kind: 'layerwise' } }).map((p) => p.field)).toEqual([
      'steps',
      'train_from',
    ]);
    expect(problemsOf({ steps: 0, schedule: { kind: 'restarts', count: 2 } })[0]!.message).toMatch(/set steps > 0/);
    expect(problemsOf({ ...steps, seed: Number.MAX_SAFE_INTEGER, schedule: { kind: 'restarts', count: 2 } })[0]!.field).toBe('seed');
    expect(problemsOf({ ...steps, ansatz: 'mcclean', schedule: { kind: 'restarts', count: 2 } })).toEqual([
      { field: 'schedule.kind', message: expect.stringMatching(/'mcclean' draws its gates from the seed/) },
    ]);
  });

  it('is optional, and a layerwise schedule is filled in with its groups', () => {
    expect(parseConfig({}).schedule).toBeUndefined();
    expect(parseConfig({ layers: 3, steps: 12, schedule: { kind: 'layerwise' } }).schedule).toEqual({
      kind: 'layerwise',
      groups: 3,
      final_phase: true,
    });
    expect(parseConfig({ steps: 12, schedule: { kind: 'restarts', count: 3 } }).schedule).toEqual({
      kind: 'restarts',
      count: 3,
      select_last: 5,
    });
  });
});
