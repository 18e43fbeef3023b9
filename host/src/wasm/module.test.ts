import { describe, expect, it } from 'vitest';
import { CONFIG_SIZE } from './abi.ts';
import { DEFAULT_ABI_CONFIG, encodeAbiConfig } from './config-codec.ts';
import { QiotModule } from './module.ts';

// A minimal hand-assembled module exporting memory and abi_version() = version.
function tinyModule(version: number): Uint8Array {
  const exportsBody = [0x02, 0x0b, ...Buffer.from('abi_version'), 0x00, 0x00, 0x06, ...Buffer.from('memory'), 0x02, 0x00];
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00, // magic, version
    0x01,
    0x05,
    0x01,
    0x60,
    0x00,
    0x01,
    0x7f, // type: () → i32
    0x03,
    0x02,
    0x01,
    0x00, // function 0 has type 0
    0x05,
    0x03,
    0x01,
    0x00,
    0x01, // memory min 1
    0x07,
    exportsBody.length,
    ...exportsBody,
    0x0a,
    0x06,
    0x01,
    0x04,
    0x00,
    0x41,
    version,
    0x0b, // body: i32.const version
  ]);
}

describe('QiotModule', () => {
  it('loads build/qiot.wasm and reports its capacities', async () => {
    const module = await QiotModule.load();
    expect(module.capacities).toEqual({ maxQubits: 10, maxParams: 256, maxSamples: 256, maxFeatures: 10, datasetCapacity: 256 * 11 * 4 });
  });

  it('names a missing module file and the command that builds it', async () => {
    await expect(QiotModule.load('/nonexistent/qiot.wasm')).rejects.toThrow(
      /cannot read qiot module \/nonexistent\/qiot\.wasm: not found \(run `make runtime`\)/,
    );
  });

  it('refuses a module of another ABI version, naming both', () => {
    expect(() => QiotModule.fromBytes(tinyModule(2))).toThrow(/qiot module has ABI version 2; this host speaks version 1/);
  });

  it('refuses bytes that are not a module, or a module needing other imports', () => {
    expect(() => QiotModule.fromBytes(new Uint8Array([1, 2, 3, 4]))).toThrow(/not a usable qiot module \(docs\/abi\.md\): .*magic/);
    const importsOther = new Uint8Array([
      0x00,
      0x61,
      0x73,
      0x6d,
      0x01,
      0x00,
      0x00,
      0x00,
      0x01,
      0x04,
      0x01,
      0x60,
      0x00,
      0x00, // type () → ()
      0x02,
      0x0b,
      0x01,
      0x03,
      ...Buffer.from('env'),
      0x03,
      ...Buffer.from('log'),
      0x00,
      0x00, // import env.log
    ]);
    expect(() => QiotModule.fromBytes(importsOther)).toThrow(/not a usable qiot module.*log/);
  });

  it('refuses a module without the ABI exports', () => {
    expect(() => QiotModule.fromBytes(tinyModule(1))).toThrow(/lacks the export 'max_qubits'/);
  });

  it('writes config bytes the module then validates', async () => {
    const module = await QiotModule.load();
    module.writeConfigBytes(encodeAbiConfig({ ...DEFAULT_ABI_CONFIG, qubits: 4 }));
    expect(module.init()).toBe(0);
    expect(module.paramCount).toBe(8);
    expect(() => module.writeConfigBytes(new Uint8Array(CONFIG_SIZE - 1))).toThrow(/192 bytes/);
  });

  it('refuses a dataset larger than the region and parameter vectors of the wrong length', async () => {
    const module = await QiotModule.load();
    expect(() => module.writeDataset(new Uint8Array(module.capacities.datasetCapacity + 1))).toThrow(
      /exceeds the module's dataset region of 11264 bytes/,
    );
    module.writeConfig(DEFAULT_ABI_CONFIG);
    module.init();
    expect(() => module.setParams([1, 2, 3])).toThrow(/expected 4 parameters, got 3/);
  });
});
