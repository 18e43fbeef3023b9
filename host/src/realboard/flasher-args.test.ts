import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { esptoolArguments, readFlashPlan } from './flasher-args.ts';

// flasher_args.json as ESP-IDF v5 writes it for an esp32c3 build of this project
// (components/esptool_py/flasher_args.json.in; underscores are ESP-IDF's spelling).
const IDF_FLASHER_ARGS = {
  write_flash_args: ['--flash_mode', 'dio', '--flash_size', '2MB', '--flash_freq', '80m'],
  flash_settings: { flash_mode: 'dio', flash_size: '2MB', flash_freq: '80m' },
  flash_files: {
    '0x10000': 'qiot.bin',
    '0x0': 'bootloader/bootloader.bin',
    '0x8000': 'partition_table/partition-table.bin',
  },
  bootloader: { offset: '0x0', file: 'bootloader/bootloader.bin', encrypted: 'false' },
  app: { offset: '0x10000', file: 'qiot.bin', encrypted: 'false' },
  'partition-table': { offset: '0x8000', file: 'partition_table/partition-table.bin', encrypted: 'false' },
  extra_esptool_args: { after: 'hard_reset', before: 'default_reset', stub: true, chip: 'esp32c3' },
};

let dir: string;

function writeBuild(
  args: unknown = IDF_FLASHER_ARGS,
  files = ['qiot.bin', 'bootloader/bootloader.bin', 'partition_table/partition-table.bin'],
) {
  for (const file of files) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), Buffer.from(file));
  }
  writeFileSync(join(dir, 'flasher_args.json'), typeof args === 'string' ? args : JSON.stringify(args));
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'qiot-idf-build-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('readFlashPlan + esptoolArguments', () => {
  it('builds the esptool v5 command idf.py flash would run, images by offset', () => {
    writeBuild();
    const plan = readFlashPlan(dir);
    expect(esptoolArguments(plan, { port: '/dev/ttyUSB0', baud: 460_800 })).toEqual([
      '--chip',
      'esp32c3',
      '--port',
      '/dev/ttyUSB0',
      '--baud',
      '460800',
      '--before',
      'default-reset',
      '--after',
      'hard-reset',
      'write-flash',
      '--flash-mode',
      'dio',
      '--flash-size',
      '2MB',
      '--flash-freq',
      '80m',
      '0x0',
      join(dir, 'bootloader/bootloader.bin'),
      '0x8000',
      join(dir, 'partition_table/partition-table.bin'),
      '0x10000',
      join(dir, 'qiot.bin'),
    ]);
  });

  it('passes --no-stub when the build asks for it and accepts a matching --chip', () => {
    writeBuild({ ...IDF_FLASHER_ARGS, extra_esptool_args: { ...IDF_FLASHER_ARGS.extra_esptool_args, stub: false } });
    const args = esptoolArguments(readFlashPlan(dir), { port: '/dev/ttyACM0', chip: 'esp32c3', baud: 115_200 });
    expect(args.slice(0, 11)).toEqual([
      '--chip',
      'esp32c3',
      '--port',
      '/dev/ttyACM0',
      '--baud',
      '115200',
      '--before',
      'default-reset',
      '--after',
      'hard-reset',
      '--no-stub',
    ]);
  });

  it('refuses to flash a build made for another chip', () => {
    writeBuild();
    expect(() => esptoolArguments(readFlashPlan(dir), { port: 'P', chip: 'esp32', baud: 460_800 })).toThrow(
      /was built for esp32c3, not esp32: run idf.py set-target esp32/,
    );
  });

  it('needs the chip from somewhere', () => {
    writeBuild({ ...IDF_FLASHER_ARGS, extra_esptool_args: { after: 'hard_reset', before: 'default_reset' } });
    expect(() => esptoolArguments(readFlashPlan(dir), { port: 'P', baud: 460_800 })).toThrow(/does not name the chip: pass --chip/);
  });

  it('names the missing build directory and how to build it', () => {
    expect(() => readFlashPlan(join(dir, 'nope'))).toThrow(
      /build directory .*nope does not exist: build the firmware first: .*idf\.py build/,
    );
  });

  it('names a build directory without flasher_args.json', () => {
    expect(() => readFlashPlan(dir)).toThrow(/flasher_args\.json is missing/);
  });

  it('names an image the build did not produce', () => {
    writeBuild(IDF_FLASHER_ARGS, ['bootloader/bootloader.bin', 'partition_table/partition-table.bin']);
    expect(() => readFlashPlan(dir)).toThrow(/qiot\.bin \(to be written at 0x10000\) is missing/);
  });

  it('names malformed JSON and malformed fields', () => {
    writeBuild('{"write_flash_args": [');
    expect(() => readFlashPlan(dir)).toThrow(/flasher_args\.json is not valid JSON/);
    writeBuild({ ...IDF_FLASHER_ARGS, flash_files: { '65536': 'qiot.bin' } });
    expect(() => readFlashPlan(dir)).toThrow(/flash_files offset "65536" is not a hex number like 0x10000/);
    writeBuild({ ...IDF_FLASHER_ARGS, flash_files: {} });
    expect(() => readFlashPlan(dir)).toThrow(/flash_files lists no image/);
  });
});
