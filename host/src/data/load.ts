// loadDataset: the config's dataset, deterministic in `dataset.seed` (default:
// the run seed). Steps: draw or read the samples → seeded shuffle (SplitMix64,
// Fisher–Yates) → the first n_train train, the next n_test test → fit min-max
// ranges on the training part → angles in [0, π].
import { datasetShape } from '../config/dataset-shape.ts';
import { DATASET_DEFAULTS, type RunConfig } from '../config/schema.ts';
import { irisPairSamples } from './iris.ts';
import { SplitMix64 } from './prng.ts';
import { fitRanges, toAngles } from './scale.ts';
import { gaussianBlobs } from './synthetic.ts';
import type { Dataset, Sample } from './types.ts';

export function loadDataset(cfg: Pick<RunConfig, 'qubits' | 'dataset' | 'seed'>): Dataset | null {
  const spec = cfg.dataset;
  if (spec.name === 'none') return null;
  const shape = datasetShape(cfg);
  const rng = new SplitMix64(spec.seed ?? cfg.seed);

  let raw: Sample[];
  let description: string;
  if (spec.name === 'iris') {
    const pair = spec.pair ?? DATASET_DEFAULTS.irisPair;
    raw = irisPairSamples(pair);
    const [plus, minus] = pair.split('-');
    description = `Iris ${plus} (+1) vs ${minus} (−1)`;
  } else {
    const separation = spec.separation ?? DATASET_DEFAULTS.separation;
    raw = gaussianBlobs(shape.samples, shape.features, separation, rng);
    description = `two Gaussian blobs, ${shape.features} features, centres ${separation} σ apart`;
  }

  const chosen = rng.shuffle(raw).slice(0, shape.samples);
  const trainRaw = chosen.slice(0, shape.nTrain);
  const testRaw = chosen.slice(shape.nTrain);
  const ranges = fitRanges(trainRaw, shape.features);
  return {
    name: spec.name,
    description,
    features: shape.features,
    train: toAngles(trainRaw, ranges),
    test: toAngles(testRaw, ranges),
  };
}
