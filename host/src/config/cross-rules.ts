// Rules that relate several config fields. The module checks the same rules in
// `init()` (docs/abi.md); checking them here names the JSON field first. Rules that follow
// from the enums (parameter counts, which costs need a dataset) come from abi/qiot-abi.ts.
import { CLASSIFICATION_COSTS, PARAMS_PER_QUBIT_LAYER } from '../wasm/abi.ts';
import { datasetShape } from './dataset-shape.ts';
import { LIMITS, type Limits } from './limits.ts';
import type { RunConfig } from './schema.ts';

export interface RuleViolation {
  path: (string | number)[];
  message: string;
}

export function parameterCount(cfg: Pick<RunConfig, 'ansatz' | 'layers' | 'qubits'>): number {
  return PARAMS_PER_QUBIT_LAYER[cfg.ansatz] * cfg.layers * cfg.qubits;
}

const isClassification = (cost: RunConfig['cost']) => CLASSIFICATION_COSTS.includes(cost);

export function crossFieldViolations(cfg: RunConfig, limits: Limits = LIMITS): RuleViolation[] {
  const out: RuleViolation[] = [];
  const add = (path: (string | number)[], message: string) => out.push({ path, message });
  const ds = cfg.dataset;

  const params = parameterCount(cfg);
  if (params > limits.maxParams) {
    add(
      ['layers'],
      `${cfg.layers} layers × ${cfg.qubits} qubits with ansatz '${cfg.ansatz}' make ${params} parameters; at most ${limits.maxParams}`,
    );
  }

  if (cfg.optimizer.gradient === 'adjoint' && cfg.optimizer.name !== 'spsa' && cfg.shots.per_eval > 0) {
    add(['optimizer', 'gradient'], `'adjoint' needs exact mode (shots.per_eval = 0); with shots use 'parameter-shift' or 'spsa'`);
  }
  if (cfg.train_from >= params) {
    add(['train_from'], `must be below the parameter count (${params}); got ${cfg.train_from}`);
  }
  if (cfg.init === 'identity-block' && cfg.ansatz !== 'hea' && cfg.ansatz !== 'hea-zy') {
    add(['init'], `'identity-block' needs ansatz 'hea' or 'hea-zy', not '${cfg.ansatz}'`);
  }

  if (isClassification(cfg.cost) && ds.name === 'none') {
    add(['dataset', 'name'], `cost '${cfg.cost}' needs a dataset: set it to 'iris' or 'synthetic'`);
  }
  if (!isClassification(cfg.cost) && ds.name !== 'none') {
    add(['dataset', 'name'], `cost '${cfg.cost}' does not use a dataset: set it to 'none' or use a class-* cost`);
  }
  if (ds.name === 'none') {
    for (const key of ['samples', 'features', 'seed', 'separation', 'pair'] as const) {
      if (ds[key] !== undefined) add(['dataset', key], `only used with a dataset (dataset.name is 'none')`);
    }
  }
  if (ds.name !== 'synthetic' && ds.separation !== undefined) {
    add(['dataset', 'separation'], `only used with dataset.name 'synthetic'`);
  }
  if (ds.name !== 'iris' && ds.pair !== undefined) {
    add(['dataset', 'pair'], `only used with dataset.name 'iris'`);
  }
  if (ds.name === 'iris') {
    if (ds.features !== undefined && ds.features !== LIMITS.irisFeatures) {
      add(['dataset', 'features'], `Iris has exactly ${LIMITS.irisFeatures} features (got ${ds.features})`);
    }
    const max = 2 * LIMITS.irisSamplesPerClass;
    if (ds.samples !== undefined && ds.samples > max) {
      add(['dataset', 'samples'], `a two-species Iris subset has at most ${max} samples (got ${ds.samples})`);
    }
  }

  if (ds.name !== 'none') {
    const shape = datasetShape(cfg);
    if (shape.features > cfg.qubits) {
      add(['dataset', 'features'], `${shape.features} features need at least ${shape.features} qubits (qubits is ${cfg.qubits})`);
    }
    if (shape.nTrain < LIMITS.minTrainSamples) {
      add(['dataset', 'test_fraction'], `leaves no training samples (${shape.samples} samples, ${shape.nTest} for test)`);
    }
    if (cfg.batch > shape.nTrain) {
      add(['batch'], `must be ≤ the ${shape.nTrain} training samples (got ${cfg.batch})`);
    }
  } else if (cfg.batch !== 0) {
    add(['batch'], `must be 0 without a dataset (got ${cfg.batch})`);
  }

  if (cfg.shots.per_eval > 0 && cfg.shots.budget === 0) {
    add(['shots', 'budget'], `must be > 0 when shots.per_eval is ${cfg.shots.per_eval} (sampled mode needs a shot budget)`);
  }
  if (cfg.shots.per_eval === 0 && cfg.shots.budget !== 0) {
    add(['shots', 'budget'], `must be 0 when shots.per_eval is 0 (exact expectations cost no shots; got ${cfg.shots.budget})`);
  }
  return out;
}
