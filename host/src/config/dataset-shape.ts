// How many samples and features a config's dataset has, and how they split.
// One function so the config checks, the dataset loader and the ABI encoder agree.
import { LIMITS } from './limits.ts';
import { DATASET_DEFAULTS, type RunConfig } from './schema.ts';

export interface DatasetShape {
  samples: number;
  features: number;
  nTrain: number;
  nTest: number;
}

export const EMPTY_DATASET_SHAPE: DatasetShape = { samples: 0, features: 0, nTrain: 0, nTest: 0 };

type ShapeInput = Pick<RunConfig, 'qubits' | 'dataset'>;

export function datasetShape(cfg: ShapeInput): DatasetShape {
  const ds = cfg.dataset;
  if (ds.name === 'none') return EMPTY_DATASET_SHAPE;
  const samples = ds.samples ?? (ds.name === 'iris' ? 2 * LIMITS.irisSamplesPerClass : DATASET_DEFAULTS.syntheticSamples);
  const features = ds.features ?? (ds.name === 'iris' ? LIMITS.irisFeatures : Math.min(cfg.qubits, LIMITS.maxFeatures));
  const nTest = Math.round(samples * ds.test_fraction);
  return { samples, features, nTrain: samples - nTest, nTest };
}
