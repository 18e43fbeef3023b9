// Scores a θ (e.g. the final θ of a run log) on a config's data with the module's
// exact, shot-free `evaluate` and `accuracy` (docs/abi.md): what `qiot eval` prints.
import { encodeConfig } from '../config/encode.ts';
import type { RunConfig } from '../config/schema.ts';
import { loadDataset } from '../data/load.ts';
import { packDataset } from '../data/pack.ts';
import { QiotError } from '../errors.ts';
import { QiotModule } from '../wasm/module.ts';

export interface Scores {
  /** Exact mean loss of the config's cost over each split (not a mini-batch, no shot noise). */
  train_loss: number | null;
  test_loss: number | null;
  /** Fraction of samples whose sign of ⟨O⟩ matches the label; null without a dataset. */
  train_accuracy: number | null;
  test_accuracy: number | null;
  n_train: number;
  n_test: number;
  /** The data, as the run log's header describes it; null for costs without a dataset. */
  dataset: string | null;
}

const finiteOrNull = (v: number) => (Number.isFinite(v) ? v : null);

/** θ on `cfg`'s data with the module in `moduleBytes`; θ must have the circuit's parameter count. */
export function scoreParams(moduleBytes: Uint8Array, cfg: RunConfig, theta: readonly number[]): Scores {
  const module = QiotModule.fromBytes(moduleBytes);
  const dataset = loadDataset(cfg);
  module.writeConfigBytes(encodeConfig(cfg, dataset, { hostParams: true }));
  if (dataset) module.writeDataset(packDataset(dataset));
  const code = module.init();
  if (code !== 0) throw new QiotError(`the module rejected the config: ${module.errorMessage(code)} (error ${code})`, 'invalid');
  if (theta.length !== module.paramCount) {
    throw new QiotError(`θ has ${theta.length} values; the config's circuit has ${module.paramCount} parameters`, 'invalid');
  }
  module.setParams(theta);
  return {
    train_loss: finiteOrNull(module.evaluate('train')),
    test_loss: dataset && dataset.test.length > 0 ? finiteOrNull(module.evaluate('test')) : null,
    train_accuracy: dataset ? finiteOrNull(module.accuracy('train')) : null,
    test_accuracy: dataset && dataset.test.length > 0 ? finiteOrNull(module.accuracy('test')) : null,
    n_train: dataset?.train.length ?? 0,
    n_test: dataset?.test.length ?? 0,
    dataset: dataset?.description ?? null,
  };
}
