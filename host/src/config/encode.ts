// encodeConfig: a validated RunConfig (plus its dataset's shape) → the 160-byte
// ABI config struct, through the wasm binding's encoder so sim and boards get
// the same bytes.
import { ABI_VERSION, ANSATZ, COST, GRADIENT, NLR_MODE, OPTIMIZER } from '../wasm/abi.ts';
import { encodeAbiConfig, type AbiConfig } from '../wasm/config-codec.ts';
import { datasetShape, EMPTY_DATASET_SHAPE } from './dataset-shape.ts';
import { effectiveGradient, type RunConfig } from './schema.ts';

export interface DatasetSizes {
  features: number;
  train: readonly unknown[];
  test: readonly unknown[];
}

export interface EncodeOptions {
  /** 1 = the host writes θ after init() instead of the module drawing it (docs/abi.md). */
  paramInit?: 0 | 1;
}

export function abiConfigOf(cfg: RunConfig, dataset: DatasetSizes | null, opts: EncodeOptions = {}): AbiConfig {
  const shape = dataset
    ? { features: dataset.features, nTrain: dataset.train.length, nTest: dataset.test.length }
    : EMPTY_DATASET_SHAPE;
  const expected = cfg.dataset.name === 'none' ? EMPTY_DATASET_SHAPE : datasetShape(cfg);
  if (shape.features !== expected.features || shape.nTrain !== expected.nTrain || shape.nTest !== expected.nTest) {
    throw new Error(
      `dataset (${shape.nTrain}+${shape.nTest} samples × ${shape.features} features) does not match the config (${expected.nTrain}+${expected.nTest} × ${expected.features})`,
    );
  }
  const o = cfg.optimizer;
  return {
    abiVersion: ABI_VERSION,
    qubits: cfg.qubits,
    layers: cfg.layers,
    ansatz: ANSATZ[cfg.ansatz],
    cost: COST[cfg.cost],
    optimizer: OPTIMIZER[o.name],
    gradient: GRADIENT[effectiveGradient(cfg)],
    nlrMode: NLR_MODE[o.nlr.mode],
    nlrPeriod: o.nlr.period,
    nlrPatience: o.nlr.patience,
    batch: cfg.batch,
    shotsPerEval: cfg.shots.per_eval,
    nTrain: shape.nTrain,
    nTest: shape.nTest,
    shotBudget: cfg.shots.budget,
    seed: cfg.seed,
    lr: o.lr,
    momentum: o.momentum,
    beta1: o.beta1,
    beta2: o.beta2,
    eps: o.eps,
    nlrRatio: o.nlr.ratio,
    nlrProb: o.nlr.prob,
    spsaC: o.spsa_c,
    initRange: cfg.init_range,
    nFeatures: shape.features,
    paramInit: opts.paramInit ?? 0,
  };
}

export function encodeConfig(cfg: RunConfig, dataset: DatasetSizes | null, opts: EncodeOptions = {}): Uint8Array {
  return encodeAbiConfig(abiConfigOf(cfg, dataset, opts));
}
