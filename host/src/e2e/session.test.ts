// Board sessions beyond one run: the module's own refusal of a config, reading
// a finished run's telemetry back after reconnecting, and RESET.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.ts';
import { encodeConfig } from '../config/encode.ts';
import { loadDataset } from '../data/load.ts';
import { packDataset } from '../data/pack.ts';
import { BoardTarget } from '../device/board-target.ts';
import { DeviceClient } from '../device/client.ts';
import { ConfigRejectedError } from '../train/target.ts';
import { DEFAULT_ABI_CONFIG, encodeAbiConfig } from '../wasm/config-codec.ts';
import { QiotModule } from '../wasm/module.ts';
import { readModule, REPO, startBoard, type BoardSession } from '../../testing/harness.ts';

describe('posix board sessions', () => {
  let session: BoardSession;
  beforeAll(async () => {
    session = await startBoard();
    await session.client.upload(readModule());
  });
  afterAll(() => session?.close());

  it('a config the module refuses is reported with the module’s own message', async () => {
    const bad = encodeAbiConfig({ ...DEFAULT_ABI_CONFIG, qubits: 0 });
    const local = QiotModule.fromBytes(readModule());
    local.writeConfigBytes(bad);
    const code = local.init();
    expect(code).not.toBe(0);

    const target = new BoardTarget(session.client);
    await target.configure(bad, new Uint8Array(0));
    const err = await target.train(3, () => undefined).catch((e) => e);
    expect(err).toBeInstanceOf(ConfigRejectedError);
    expect(err.moduleMessage).toBe(local.errorMessage(code));
    expect((await session.client.status()).state).toBe(0);
  });

  it('a reconnecting host reads the last run back with TELEMETRY_FETCH', async () => {
    const cfg = loadConfig(join(REPO, 'examples/iris-nlr.json'));
    const dataset = loadDataset(cfg)!;
    await session.client.configure(encodeConfig(cfg, dataset), packDataset(dataset));
    const { nextTseq: first } = await session.client.status();
    const live: Uint8Array[] = [];
    const run = await session.client.train(4, { onTelemetry: (t) => live.push(t.record) });
    await run.done;

    await session.client.close();
    session.client = await DeviceClient.open(session.board.port);
    const fetched = await session.client.fetchTelemetry(first);
    expect(fetched.missing).toBe(0);
    expect(fetched.nextTseq).toBe(first + 4);
    expect(fetched.frames.map((f) => f.tseq)).toEqual([first, first + 1, first + 2, first + 3]);
    expect(fetched.frames.map((f) => Buffer.from(f.record).toString('hex'))).toEqual(live.map((r) => Buffer.from(r).toString('hex')));
  });

  it('RESET restarts the board: the module stays active, telemetry counting starts over', async () => {
    const sha = Buffer.from(session.client.info.moduleSha256).toString('hex');
    expect((await session.client.status()).nextTseq).toBeGreaterThan(1);
    await session.client.reset();
    const info = await session.client.refreshInfo();
    expect(Buffer.from(info.moduleSha256).toString('hex')).toBe(sha);
    expect((await session.client.status()).nextTseq).toBe(1);
  });
});
