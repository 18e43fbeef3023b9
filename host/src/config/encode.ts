// encodeConfig: a validated RunConfig (plus its dataset's shape) → the ABI config struct,
// through the wasm binding's encoder so sim and boards get the same bytes. The keys the JSON
// sets directly are mapped by the generated jsonAbiFields; the rest are derived here.
import { ABI_VERSION, GRADIENT, PARAM_INIT } from '../wasm/abi.ts';
import { encodeAbiConfig, type AbiConfig } from '../wasm/config-codec.ts';
import { jsonAbiFields } from './abi-fields.generated.ts';
import { datasetShape, EMPTY_DATASET_SHAPE } from './dataset-shape.ts';
import { effectiveGradient, type RunConfig } from './schema.ts';

export interface DatasetSizes {
  features: number;
  train: readonly unknown[];
  test: readonly unknown[];
}

export interface EncodeOptions {
  /** true: the host writes θ after init() instead of the module drawing it (param_init = host, docs/abi.md). */
  hostParams?: boolean;
}

export function abiConfigOf(cfg: RunConfig, dataset: DatasetSizes | null, opts: EncodeOptions = {}): AbiConfig {
  const shape = dataset ? { features: dataset.features, nTrain: dataset.train.length, nTest: dataset.test.length } : EMPTY_DATASET_SHAPE;
  const expected = cfg.dataset.name === 'none' ? EMPTY_DATASET_SHAPE : datasetShape(cfg);
  if (shape.features !== expected.features || shape.nTrain !== expected.nTrain || shape.nTest !== expected.nTest) {
    throw new Error(
      `dataset (${shape.nTrain}+${shape.nTest} samples × ${shape.features} features) does not match the config (${expected.nTrain}+${expected.nTest} × ${expected.features})`,
    );
  }
  return {
    ...jsonAbiFields(cfg),
    abiVersion: ABI_VERSION,
    gradient: GRADIENT[effectiveGradient(cfg)],
    nTrain: shape.nTrain,
    nTest: shape.nTest,
    nFeatures: shape.features,
    ...(opts.hostParams ? { paramInit: PARAM_INIT.host } : {}),
  };
}

export function encodeConfig(cfg: RunConfig, dataset: DatasetSizes | null, opts: EncodeOptions = {}): Uint8Array {
  return encodeAbiConfig(abiConfigOf(cfg, dataset, opts));
}
