// FleetDevice: telemetry delivered in sequence order with duplicates dropped and lost records
// reported as gaps (a scripted client, no broker), and one board behind an executor on a real
// Mosquitto: INFO is the board's, a flash commits, a run's records are bit-identical to the
// module in this process, STOP ends an endless run, θ reads back, RESET forgets it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.ts';
import { encodeConfig } from '../config/encode.ts';
import { ErrorCode, DoneStatus } from '../protocol/constants.ts';
import { MODULE_PATH, readModule, startBoard, type BoardSession } from '../../testing/harness.ts';
import { startMosquitto, type Mosquitto } from '../../testing/mosquitto.ts';
import { ModuleTarget, readModuleImage } from '../train/module-target.ts';
import { BoardBackend } from './backends.ts';
import type { FleetClient } from './client.ts';
import { FleetClient as RealFleetClient } from './client.ts';
import { Executor } from './executor.ts';
import { FleetDevice } from './fleet-device.ts';
import type { Reply, TelemetryMessage } from './messages.ts';

const INFO = {
  id: 'b',
  kind: 'board',
  busy: null,
  board: { protocolVersion: 1, abiVersion: 3, moduleSha256: 'ab'.repeat(32), boot: { previous: { size: 1, sha256: { 0: 7, 1: 9 } } } },
};

/** A client whose `train` answers with `script(tag, emit, reply)`. */
function scriptedClient(script: (tag: number, emit: (seq: number) => void, reply: (r: Reply) => void) => void): FleetClient {
  const listeners = new Set<(id: string, t: TelemetryMessage) => void>();
  return {
    call: async () => INFO,
    onTelemetry: (l: (id: string, t: TelemetryMessage) => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    send: (_id: string, _op: string, args: { tag: number }, handlers: { onReply(r: Reply): void }) => {
      const emit = (seq: number) => {
        for (const l of listeners) l('b', { seq, tag: args.tag, raw: new Uint8Array(64).fill(seq) });
      };
      queueMicrotask(() => script(args.tag, emit, handlers.onReply));
      return { corr: 'c', cancel: () => undefined };
    },
  } as unknown as FleetClient;
}

const doneReply = (first: number, records: number): Reply => ({
  v: 1,
  corr: 'c',
  stage: 'done',
  result: {
    status: 'completed',
    train_loss: 0.5,
    test_loss: null,
    test_accuracy: null,
    shots_total: 0,
    param_count: 4,
    first_seq: first,
    records,
    dropped: 0,
  },
});
const okReply: Reply = { v: 1, corr: 'c', stage: 'ok', result: {} };

async function runScripted(script: Parameters<typeof scriptedClient>[0]) {
  const device = await FleetDevice.open(scriptedClient(script), 'b', { graceMs: 50 });
  await device.configure(new Uint8Array(192), new Uint8Array(0));
  const seqs: number[] = [];
  const gaps: Array<[number, number]> = [];
  const run = await device.train(0, { onTelemetry: (f) => seqs.push(f.tseq), onGap: (from, to) => gaps.push([from, to]) });
  return { end: await run.done, seqs, gaps, device };
}

describe('FleetDevice telemetry order (scripted client)', () => {
  it('decodes INFO byte fields from hex and from serialised Uint8Arrays', async () => {
    const { device } = await runScripted((_t, _e, reply) => {
      reply(okReply);
      reply(doneReply(1, 0));
    });
    expect(device.info.moduleSha256).toEqual(new Uint8Array(32).fill(0xab));
    expect(device.info.boot?.previous?.sha256).toEqual(Uint8Array.from([7, 9]));
  });

  it('delivers in sequence order once, dropping duplicates and records of other runs', async () => {
    const { end, seqs, gaps } = await runScripted((_tag, emit, reply) => {
      reply(okReply);
      for (const seq of [5, 6, 6, 7, 5, 8]) emit(seq);
      reply(doneReply(5, 4));
    });
    expect(seqs).toEqual([5, 6, 7, 8]);
    expect(gaps).toEqual([]);
    expect(end).toMatchObject({ status: DoneStatus.COMPLETED, steps: 4, trainLoss: 0.5 });
    expect(end.testLoss).toBeNaN();
  });

  it('reports records that never came as gaps (leading, middle, trailing) and still delivers the others', async () => {
    const { seqs, gaps } = await runScripted((_tag, emit, reply) => {
      reply(okReply);
      for (const seq of [12, 13, 15]) emit(seq);
      reply(doneReply(10, 8));
    });
    expect(seqs).toEqual([12, 13, 15]);
    expect(gaps).toEqual([
      [10, 12],
      [14, 15],
      [16, 18],
    ]);
  });

  it('a refusal rejects train() with the executor’s error', async () => {
    const device = await FleetDevice.open(
      scriptedClient((_t, _e, reply) => reply({ v: 1, corr: 'c', stage: 'error', error: { kind: 'board', code: 9, message: 'no' } })),
      'b',
    );
    await device.configure(new Uint8Array(192), new Uint8Array(0));
    await expect(device.train(1, { onTelemetry: () => undefined })).rejects.toMatchObject({ kind: 'board', code: 9 });
  });
});

describe('FleetDevice on Mosquitto (a posix board behind an executor)', () => {
  let broker: Mosquitto;
  let board: BoardSession;
  let executor: Executor;
  let client: RealFleetClient;
  let device: FleetDevice;
  const cfg = parseConfig(
    { qubits: 3, layers: 2, ansatz: 'hea', cost: 'local', optimizer: { name: 'nlr', lr: 0.4 }, steps: 12, seed: 5 },
    'fleet-device test',
  );
  const config = encodeConfig(cfg, null);

  beforeAll(async () => {
    broker = await startMosquitto();
    board = await startBoard();
    executor = await Executor.start({ url: broker.url }, new BoardBackend(board.client), { id: 'fd-posix-0' });
    client = await RealFleetClient.connect({ url: broker.url }, 'test');
    await client.watchTelemetry();
    device = await FleetDevice.open(client, 'fd-posix-0');
  }, 120_000);

  afterAll(async () => {
    await client?.close();
    await executor?.close().catch(() => undefined);
    await board?.close();
    await broker?.stop();
  });

  it('INFO, flash, a run bit-identical to the module in Node, STOP, θ, RESET', async () => {
    expect(device.info.boardName).toBe(board.client.info.boardName);
    expect(device.info.protocolVersion).toBe(board.client.info.protocolVersion);
    const module = readModule();
    expect((await device.upload(module)).committed).toBe(true);
    expect(Buffer.from(device.info.moduleSha256).toString('hex')).toBe((await readModuleImage(MODULE_PATH)).sha256);

    const node = new ModuleTarget(await readModuleImage(MODULE_PATH));
    await node.configure(config, new Uint8Array(0));
    const nodeRecords: string[] = [];
    const nodeSummary = await node.train(cfg.steps, (s) => nodeRecords.push(Buffer.from(s.raw).toString('hex')));

    const records: string[] = [];
    await device.configure(config, new Uint8Array(0));
    const run = await device.train(cfg.steps, { onTelemetry: (f) => records.push(Buffer.from(f.record).toString('hex')) });
    const end = await run.done;
    expect(records).toEqual(nodeRecords);
    expect(end).toMatchObject({ status: DoneStatus.COMPLETED, steps: cfg.steps, trainLoss: nodeSummary.trainLoss });
    expect(Array.from(await device.readParams())).toEqual(Array.from(nodeSummary.params!));

    let seen = 0;
    let stopped!: Promise<void>;
    const endless = await device.train(0, {
      onTelemetry: () => {
        if (++seen === 3) stopped = device.stop();
      },
    });
    const stop = await endless.done;
    await stopped;
    expect(stop.status).toBe(DoneStatus.STOPPED);
    expect(stop.steps).toBe(seen);
    expect((await device.status()).state).toBe(0);

    await device.reset();
    expect(Buffer.from(device.info.moduleSha256).toString('hex')).toBe((await readModuleImage(MODULE_PATH)).sha256);
    await expect(device.readParams()).rejects.toMatchObject({ kind: 'board', code: ErrorCode.BAD_STATE });
  }, 120_000);
});
