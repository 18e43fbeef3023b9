// The 192-byte config struct, read back field by field at the offsets of
// docs/abi.md with a DataView (independently of the binding's decoder).
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../data/load.ts';
import { encodeConfig } from './encode.ts';
import { parseConfig } from './load.ts';

describe('encodeConfig', () => {
  it('writes every field at its documented offset', () => {
    const cfg = parseConfig({
      qubits: 5,
      layers: 3,
      ansatz: 'rxry-cnot',
      cost: 'class-xent',
      dataset: { name: 'synthetic', samples: 40, features: 3, test_fraction: 0.25 },
      optimizer: {
        name: 'nlr',
        lr: 0.25,
        momentum: 0.5,
        beta1: 0.8,
        beta2: 0.99,
        eps: 1e-6,
        spsa_c: 0.2,
        nlr: { ratio: 0.75, mode: 'patience', period: 7, prob: 0.3, patience: 4 },
      },
      shots: { per_eval: 128, budget: 2 ** 40 + 3 },
      batch: 8,
      seed: 2 ** 33 + 5,
      init_range: 1.5,
    });
    const bytes = encodeConfig(cfg, loadDataset(cfg));
    expect(bytes.byteLength).toBe(192);
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const u32 = (o: number) => v.getUint32(o, true);
    const f64 = (o: number) => v.getFloat64(o, true);
    expect([0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48, 52].map(u32)).toEqual([
      1, // abi_version
      5, // qubits
      3, // layers
      2, // rxry-cnot
      3, // class-xent
      4, // nlr
      0, // parameter shift
      3, // patience
      7,
      4,
      8, // batch
      128, // shots_per_eval
      30, // n_train = 40 − round(40 · 0.25)
      10, // n_test
    ]);
    expect(v.getBigUint64(56, true)).toBe(2n ** 40n + 3n);
    expect(v.getBigUint64(64, true)).toBe(2n ** 33n + 5n);
    expect([72, 80, 88, 96, 104, 112, 120, 128, 136].map(f64)).toEqual([0.25, 0.5, 0.8, 0.99, 1e-6, 0.75, 0.3, 0.2, 1.5]);
    expect([144, 148, 152, 156].map(u32)).toEqual([3, 0, 0, 0]); // n_features, param_init, reserved
  });

  it('forces SPSA gradients for the SPSA optimizer and encodes no dataset as zero samples', () => {
    const bytes = encodeConfig(parseConfig({ optimizer: { name: 'spsa' } }), null);
    const v = new DataView(bytes.buffer);
    expect([20, 24, 48, 52, 144].map((o) => v.getUint32(o, true))).toEqual([3, 1, 0, 0, 0]);
  });

  it('refuses a dataset that does not match the config', () => {
    const cfg = parseConfig({ cost: 'class-sq', dataset: { name: 'synthetic', samples: 20 } });
    const ds = loadDataset(cfg)!;
    expect(() => encodeConfig(cfg, { ...ds, test: [] })).toThrow(/does not match the config/);
  });
});
