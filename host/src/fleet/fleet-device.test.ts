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
import { sha256 } from '../device/upload.ts';
import { controlKeyOf, encodeProvision } from '../security/auth.ts';
import { generateSigningKey } from '../security/keys.ts';
import { variantModule } from '../../testing/tiny-module.ts';
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

/** A posix board behind an executor on its own Mosquitto for one describe block (prepare: over its serial link first). */
function boardOnBroker(id: string, prepare: (board: BoardSession) => Promise<void> = async () => undefined) {
  const on = {} as { broker: Mosquitto; board: BoardSession; executor: Executor; client: RealFleetClient };
  beforeAll(async () => {
    on.broker = await startMosquitto();
    on.board = await startBoard();
    await prepare(on.board);
    on.executor = await Executor.start({ url: on.broker.url }, new BoardBackend(on.board.client), { id });
    on.client = await RealFleetClient.connect({ url: on.broker.url }, 'test');
    await on.client.watchTelemetry();
  }, 120_000);
  afterAll(async () => {
    await on.client?.close();
    await on.executor?.close().catch(() => undefined);
    await on.board?.close();
    await on.broker?.stop();
  });
  return on;
}

describe('FleetDevice on Mosquitto (a posix board behind an executor)', () => {
  const on = boardOnBroker('fd-posix-0');
  let device: FleetDevice;
  const cfg = parseConfig(
    { qubits: 3, layers: 2, ansatz: 'hea', cost: 'local', optimizer: { name: 'nlr', lr: 0.4 }, steps: 12, seed: 5 },
    'fleet-device test',
  );
  const config = encodeConfig(cfg, null);

  beforeAll(async () => {
    device = await FleetDevice.open(on.client, 'fd-posix-0');
  });

  it('INFO, flash, a run bit-identical to the module in Node, STOP, θ, RESET', async () => {
    expect(device.info.boardName).toBe(on.board.client.info.boardName);
    expect(device.info.protocolVersion).toBe(on.board.client.info.protocolVersion);
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

describe('FleetDevice with the owner key, a provisioned posix board behind an executor (Mosquitto)', () => {
  const key = generateSigningKey();
  const on = boardOnBroker('fd-prov-0', async (board) => {
    await board.client.upload(readModule(), { confirm: true });
    await board.client.provision(encodeProvision([key.publicKey], controlKeyOf(key)));
  });
  const cfg = parseConfig(
    { qubits: 3, layers: 2, ansatz: 'hea', cost: 'local', optimizer: { name: 'nlr', lr: 0.4 }, steps: 12, seed: 6 },
    'fleet-device auth test',
  );

  it('without the key the board refuses the flash; with it the module is signed, the run, θ, STOP and RESET are authenticated', async () => {
    const variant = variantModule(readModule(), 'fleet-device-auth', 200);
    const stranger = await FleetDevice.open(on.client, 'fd-prov-0');
    await expect(stranger.upload(variant)).rejects.toMatchObject({ kind: 'board', code: ErrorCode.UNAUTHENTICATED });

    const owner = await FleetDevice.open(on.client, 'fd-prov-0', { key });
    expect((await owner.upload(variant)).committed).toBe(true);
    expect(Buffer.from(owner.info.moduleSha256)).toEqual(Buffer.from(sha256(variant)));
    expect(owner.info.security?.moduleVerified).toBe(true);

    const config = encodeConfig(cfg, null);
    const node = new ModuleTarget(await readModuleImage(MODULE_PATH));
    await node.configure(config, new Uint8Array(0));
    const nodeRecords: string[] = [];
    const nodeSummary = await node.train(cfg.steps, (s) => nodeRecords.push(Buffer.from(s.raw).toString('hex')));
    const records: string[] = [];
    await owner.configure(config, new Uint8Array(0));
    const end = await (await owner.train(cfg.steps, { onTelemetry: (f) => records.push(Buffer.from(f.record).toString('hex')) })).done;
    expect(records).toEqual(nodeRecords);
    expect(end.status).toBe(DoneStatus.COMPLETED);
    expect(Array.from(await owner.readParams())).toEqual(Array.from(nodeSummary.params!));

    const theta = Array.from(nodeSummary.params!, (v) => v + 0.25);
    await expect(stranger.writeParams(theta)).rejects.toMatchObject({ code: ErrorCode.UNAUTHENTICATED });
    await owner.writeParams(theta);
    for (const [i, v] of (await owner.readParams()).entries()) expect(v).toBeCloseTo(theta[i], 8);

    let seen = 0;
    let stopped!: Promise<void>;
    const endless = await owner.train(0, {
      onTelemetry: () => {
        if (++seen === 3) stopped = owner.stop();
      },
    });
    expect((await endless.done).status).toBe(DoneStatus.STOPPED);
    await stopped;

    await owner.reset();
    expect(Buffer.from(owner.info.moduleSha256)).toEqual(Buffer.from(sha256(variant)));
    await expect(owner.readParams()).rejects.toMatchObject({ code: ErrorCode.BAD_STATE });
  }, 180_000);
});
