// Boots the rv32 firmware in QEMU and drives it through the host's DeviceClient:
// handshake, upload, config + dataset, training with telemetry compared byte for
// byte against the same module run in Node, persistence across RESET and across
// a QEMU restart. Needs `make runtime firmware-rv32`.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeConfig } from '../config/encode.ts';
import { parseConfig } from '../config/load.ts';
import { loadDataset } from '../data/load.ts';
import { packDataset } from '../data/pack.ts';
import { DeviceClient } from '../device/client.ts';
import { sha256 } from '../device/upload.ts';
import { NO_SLOT } from '../protocol/constants.ts';
import type { TelemetryMessage } from '../protocol/payloads.generated.ts';
import { QiotModule } from '../wasm/module.ts';
import type { RunningBoard } from './board.ts';
import { launchRv32Board, qemuAvailable, RV32_BOARD_ELF } from './rv32.ts';

const MODULE_PATH = 'build/qiot.wasm';
const STEPS = 4;
/** Small enough that a step takes milliseconds under QEMU, but it exercises the dataset, shots and NLR. */
const RUN = parseConfig({
  qubits: 3,
  layers: 2,
  ansatz: 'hea',
  cost: 'class-sq',
  dataset: { name: 'synthetic', samples: 24, features: 3, separation: 3, test_fraction: 0.25 },
  optimizer: { name: 'nlr', lr: 0.6, nlr: { mode: 'gated', ratio: 0.5 } },
  batch: 6,
  shots: { per_eval: 100, budget: 10_000_000 },
  steps: STEPS,
  seed: 7,
});

describe.skipIf(!qemuAvailable())('rv32 board under QEMU (skipped: qemu-system-riscv32 not installed)', () => {
  let scratch: string;
  let flashImage: string;
  let board: RunningBoard | undefined;
  let client: DeviceClient | undefined;
  const module = existsSync(MODULE_PATH) ? new Uint8Array(readFileSync(MODULE_PATH)) : new Uint8Array();

  beforeAll(() => {
    for (const [path, make] of [
      [RV32_BOARD_ELF, 'firmware-rv32'],
      [MODULE_PATH, 'runtime'],
    ]) {
      if (!existsSync(path)) throw new Error(`${path} is missing: run \`make ${make}\``);
    }
    scratch = mkdtempSync(join(tmpdir(), 'qiot-rv32-'));
    flashImage = join(scratch, 'store.img');
  });

  afterAll(async () => {
    await client?.close().catch(() => undefined);
    await board?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  async function boot(): Promise<DeviceClient> {
    await client?.close().catch(() => undefined);
    await board?.stop();
    board = await launchRv32Board({ flashImage });
    client = await DeviceClient.open(board.port);
    return client;
  }

  it('answers HELLO with its INFO on an empty store', async () => {
    const c = await boot();
    expect(c.info.protocolVersion).toBe(1);
    expect(c.info.abiVersion).toBe(1);
    expect(c.info.boardName).toBe('rv32-qemu-virt');
    expect(c.info.activeSlot).toBe(NO_SLOT);
    expect(c.info.moduleSize).toBe(0);
  });

  it('takes a module upload and trains with telemetry bit-identical to Node', async () => {
    const c = client!;
    const upload = await c.upload(module);
    expect(upload.committed).toBe(true);
    expect(c.info.moduleSize).toBe(module.length);
    expect(Buffer.from(c.info.moduleSha256)).toEqual(Buffer.from(sha256(module)));

    const dataset = loadDataset(RUN)!;
    const config = encodeConfig(RUN, dataset);
    const packed = packDataset(dataset);
    await c.configure(config, packed);
    const frames: TelemetryMessage[] = [];
    const run = await c.train(STEPS, { onTelemetry: (f) => frames.push(f) });
    const end = await run.done;
    expect(end.errors).toEqual([]);
    expect(end.status).toBe(0);
    expect(end.steps).toBe(STEPS);
    expect(frames.map((f) => f.tseq)).toEqual([1, 2, 3, 4]);

    const node = QiotModule.fromBytes(module);
    node.writeConfigBytes(config);
    node.writeDataset(packed);
    expect(node.init()).toBe(0);
    for (const frame of frames) {
      expect(Buffer.from(frame.record)).toEqual(Buffer.from(node.step().raw));
    }
  });

  it('keeps the active module across a RESET and across a QEMU restart', async () => {
    const before = client!.info;
    await client!.reset();
    await client!.close();
    client = await DeviceClient.open(board!.port);
    expect(client.info.activeSlot).toBe(before.activeSlot);
    expect(Buffer.from(client.info.moduleSha256)).toEqual(Buffer.from(before.moduleSha256));

    const restarted = await boot();
    expect(restarted.info.activeSlot).toBe(before.activeSlot);
    expect(restarted.info.moduleSize).toBe(module.length);
    expect(Buffer.from(restarted.info.moduleSha256)).toEqual(Buffer.from(before.moduleSha256));
  });
});
