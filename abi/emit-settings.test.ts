// The module's settings copy each field the description marks, with the copy's type.
import { describe, expect, it } from 'vitest';
import { settingsSource } from './emit-settings.ts';
import { CONFIG_FIELDS, type ConfigField } from './qiot-abi.ts';

describe('runtime/settings.generated.ts', () => {
  it('declares and copies each field not marked copy: false, widening or narrowing as marked', () => {
    const fields: ConfigField[] = [
      { name: 'qubits', type: 'u32', doc: '', default: 0, copy: 'i32' },
      { name: 'shots_per_eval', type: 'u32', doc: '', default: 0, copy: 'u64' },
      { name: 'lr', type: 'f64', doc: '', default: 0 },
      { name: 'n_train', type: 'u32', doc: '', default: 0, copy: false },
    ];
    const source = settingsSource(fields);
    expect(source).toContain('export let qubits: i32 = 0;');
    expect(source).toContain('  qubits = <i32>load<u32>(CONFIG + <usize>A.OFF_QUBITS);');
    expect(source).toContain('  shotsPerEval = <u64>load<u32>(CONFIG + <usize>A.OFF_SHOTS_PER_EVAL);');
    expect(source).toContain('  lr = load<f64>(CONFIG + <usize>A.OFF_LR);');
    expect(source).not.toContain('nTrain');
  });

  it('leaves the derived fields to runtime/settings.ts', () => {
    const source = settingsSource();
    for (const name of ['gradient', 'batch', 'reupload', 'n_train', 'n_test', 'n_features', 'abi_version']) {
      expect(CONFIG_FIELDS.find((f) => f.name === name)?.copy, name).toBe(false);
    }
    expect(source).not.toMatch(/export let (gradient|batch|reupload|nTrain|nTest|nFeatures|abiVersion):/);
  });
});
