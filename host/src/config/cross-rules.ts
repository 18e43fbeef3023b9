// Rules that relate several config fields. The module checks the same rules in
// `init()` (docs/abi.md); checking them here names the JSON field first. Rules that follow
// from the enums (parameter counts, which costs need a dataset) come from abi/qiot-abi.ts.
import { CLASSIFICATION_COSTS, PARAMS_PER_QUBIT_LAYER } from '../wasm/abi.ts';
import { datasetShape } from './dataset-shape.ts';
import { LIMITS, type Limits } from './limits.ts';
import { layerGroups, SCHEDULE_LIMITS } from './schedule.ts';
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
  scheduleViolations(cfg, limits).forEach((v) => {
    out.push(v);
  });
  return out;
}

/** The schedule block against the rest of the config (host/src/schedule/plan.ts splits the budget). */
function scheduleViolations(cfg: RunConfig, limits: Limits): RuleViolation[] {
  const s = cfg.schedule;
  if (!s) return [];
  const out: RuleViolation[] = [];
  const segments = s.kind === 'restarts' ? s.count : layerGroups(cfg.layers, s) * (s.final_phase ? 2 : 1);
  if (cfg.steps === 0) {
    out.push({
      path: ['steps'],
      message: `a schedule splits the run's steps among its segments: set steps > 0 (0 would never end a segment)`,
    });
  } else if (cfg.steps < segments) {
    out.push({
      path: ['steps'],
      message: `the ${s.kind} schedule needs at least ${segments} steps (one per segment share); got ${cfg.steps}`,
    });
  }
  if (s.kind === 'layerwise') {
    if (s.groups !== undefined && s.groups > cfg.layers) {
      out.push({ path: ['schedule', 'groups'], message: `must be ≤ layers (${cfg.layers}): each group adds at least one layer` });
    }
    if (cfg.train_from !== 0) {
      out.push({ path: ['train_from'], message: `the layerwise schedule sets train_from for each segment itself: leave it at 0` });
    }
    if (cfg.init === 'host') {
      out.push({ path: ['init'], message: `the layerwise schedule starts from the module's θ₀: 'host' would start from zeros` });
    }
  } else if (cfg.ansatz === 'mcclean') {
    out.push({
      path: ['schedule', 'kind'],
      message: `restarts change the seed, and ansatz 'mcclean' draws its gates from the seed: each restart would train another circuit`,
    });
  } else if (cfg.seed + SCHEDULE_LIMITS.restartSeedStride * (s.count - 1) > limits.maxJsonInteger) {
    out.push({
      path: ['seed'],
      message: `restart ${s.count - 1} would run with seed + ${SCHEDULE_LIMITS.restartSeedStride}·${s.count - 1}, beyond ${limits.maxJsonInteger}`,
    });
  }
  return out;
}
