import { describe, expect, it } from 'vitest';
import { CONFIG_SIZE } from './abi.ts';
import { DEFAULT_ABI_CONFIG, decodeAbiConfig, encodeAbiConfig, type AbiConfig } from './config-codec.ts';

describe('encodeAbiConfig', () => {
  it('writes little-endian values a DataView reads back, reserved words zero', () => {
    const config: AbiConfig = { ...DEFAULT_ABI_CONFIG, qubits: 7, shotBudget: 2n ** 40n + 3n, seed: 0xdeadbeef, lr: 0.125, nlrProb: 0.3 };
    const bytes = encodeAbiConfig(config);
    expect(bytes.length).toBe(CONFIG_SIZE);
    const view = new DataView(bytes.buffer);
    expect(view.getUint32(4, true)).toBe(7);
    expect(view.getBigUint64(56, true)).toBe(2n ** 40n + 3n);
    expect(view.getBigUint64(64, true)).toBe(0xdeadbeefn);
    expect(view.getFloat64(72, true)).toBe(0.125);
    expect(view.getFloat64(120, true)).toBe(0.3);
    expect(view.getUint32(152, true)).toBe(0);
    expect(view.getUint32(156, true)).toBe(0);
  });

  it('round-trips through decodeAbiConfig (u64 fields as bigint)', () => {
    const decoded = decodeAbiConfig(encodeAbiConfig({ ...DEFAULT_ABI_CONFIG, seed: 42 }));
    expect(decoded).toEqual({ ...DEFAULT_ABI_CONFIG, seed: 42n, shotBudget: 0n });
  });

  it.each<[Partial<AbiConfig>, RegExp]>([
    [{ qubits: -1 }, /qubits: -1 is not an integer in 0\.\.4294967295/],
    [{ layers: 1.5 }, /layers: 1\.5/],
    [{ nTrain: 2 ** 32 }, /nTrain/],
    [{ seed: -3 }, /seed: -3 is outside/],
    [{ seed: 2 ** 60 }, /seed: .* not an integer a u64 can hold exactly/],
    [{ shotBudget: 2n ** 64n }, /shotBudget/],
  ])('refuses %o naming the field', (override, message) => {
    expect(() => encodeAbiConfig({ ...DEFAULT_ABI_CONFIG, ...override })).toThrow(message);
  });

  it('refuses a missing field', () => {
    const { lr: _, ...partial } = DEFAULT_ABI_CONFIG;
    expect(() => encodeAbiConfig(partial as AbiConfig)).toThrow(/config field lr is missing/);
  });

  it('refuses a struct of the wrong size when decoding', () => {
    expect(() => decodeAbiConfig(new Uint8Array(159))).toThrow(/192 bytes, got 159/);
  });
});
