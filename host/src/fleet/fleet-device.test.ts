// FleetDevice: telemetry delivered in sequence order with duplicates dropped and lost records
// reported as gaps (a scripted client, no broker), and one board behind an executor on a real
// Mosquitto: INFO is the board's, a flash commits, a run's records are bit-identical to the
// module in this process, STOP ends an endless run, θ reads back, RESET forgets it, CONFIRM ends a
// trial and ROLLBACK returns to the previous module — on an open board, and on a provisioned one
// with the owner key (keyless commands refused).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.ts';
import { encodeConfig } from '../config/encode.ts';
import { BootEvent, ErrorCode, DoneStatus } from '../protocol/constants.ts';
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
import { signManifest } from '../security/manifest.ts';
import type { RunConfig } from '../config/schema.ts';
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

const runConfig = (seed: number): RunConfig =>
  parseConfig(
    { qubits: 3, layers: 2, ansatz: 'hea', cost: 'local', optimizer: { name: 'nlr', lr: 0.4 }, steps: 12, seed },
    'fleet-device test',
  );
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** The run of `cfg` on the module in this process (the reference) and through `device`: records as hex, the ends. */
async function runBoth(device: FleetDevice, cfg: RunConfig) {
  const config = encodeConfig(cfg, null);
  const node = new ModuleTarget(await readModuleImage(MODULE_PATH));
  await node.configure(config, new Uint8Array(0));
  const nodeRecords: string[] = [];
  const nodeSummary = await node.train(cfg.steps, (s) => nodeRecords.push(hex(s.raw)));
  const records: string[] = [];
  await device.configure(config, new Uint8Array(0));
  const end = await (await device.train(cfg.steps, { onTelemetry: (f) => records.push(hex(f.record)) })).done;
  return { nodeRecords, nodeSummary, records, end };
}

/** An endless run of the configured config, stopped after its 3rd record: its end and the records seen. */
async function stopAfterThree(device: FleetDevice) {
  let seen = 0;
  let stopped!: Promise<void>;
  const endless = await device.train(0, {
    onTelemetry: () => {
      if (++seen === 3) stopped = device.stop();
    },
  });
  const end = await endless.done;
  await stopped;
  return { end, seen };
}

describe('FleetDevice on Mosquitto (a posix board behind an executor)', () => {
  const on = boardOnBroker('fd-posix-0');
  let device: FleetDevice;
  beforeAll(async () => {
    device = await FleetDevice.open(on.client, 'fd-posix-0');
  });

  it('INFO, flash, a run bit-identical to the module in Node, STOP, θ, RESET', async () => {
    expect(device.info.boardName).toBe(on.board.client.info.boardName);
    expect(device.info.protocolVersion).toBe(on.board.client.info.protocolVersion);
    const module = readModule();
    expect((await device.upload(module)).committed).toBe(true);
    expect(hex(device.info.moduleSha256)).toBe((await readModuleImage(MODULE_PATH)).sha256);

    const cfg = runConfig(5);
    const { nodeRecords, nodeSummary, records, end } = await runBoth(device, cfg);
    expect(records).toEqual(nodeRecords);
    expect(end).toMatchObject({ status: DoneStatus.COMPLETED, steps: cfg.steps, trainLoss: nodeSummary.trainLoss });
    expect(Array.from(await device.readParams())).toEqual(Array.from(nodeSummary.params!));

    const { end: stop, seen } = await stopAfterThree(device);
    expect(stop.status).toBe(DoneStatus.STOPPED);
    expect(stop.steps).toBe(seen);
    expect((await device.status()).state).toBe(0);

    await device.reset();
    expect(hex(device.info.moduleSha256)).toBe((await readModuleImage(MODULE_PATH)).sha256);
    await expect(device.readParams()).rejects.toMatchObject({ kind: 'board', code: ErrorCode.BAD_STATE });
  }, 120_000);

  it('CONFIRM ends a trial (a reset keeps the module); ROLLBACK makes the previous module active again', async () => {
    const base = readModule();
    const variant = variantModule(base, 'fleet-device-trial', 100);
    await device.upload(base, { confirm: true });
    expect(device.info.boot?.pending).toBe(false);

    expect((await device.upload(variant)).committed).toBe(true);
    expect(device.info.boot?.pending).toBe(true);
    expect(hex(device.info.boot!.previous!.sha256)).toBe(hex(sha256(base)));
    expect((await device.confirm()).boot?.pending).toBe(false);
    await device.reset(); // a reset before CONFIRM would have reverted to `base`
    expect(hex(device.info.moduleSha256)).toBe(hex(sha256(variant)));

    const slot = device.info.activeSlot;
    const back = await device.rollback();
    expect(hex(back.sha256)).toBe(hex(sha256(base)));
    expect(back.activeSlot).toBe(1 - slot);
    expect(device.info).toMatchObject({ activeSlot: 1 - slot, boot: { event: BootEvent.ROLLED_BACK } });
    // Read over the board's own line: the gateway's answer is the board's state, not a copy.
    expect(hex((await on.board.client.refreshInfo()).moduleSha256)).toBe(hex(sha256(base)));
    const { nodeRecords, records } = await runBoth(device, runConfig(7));
    expect(records).toEqual(nodeRecords);
  }, 120_000);
});

describe('FleetDevice with the owner key, a provisioned posix board behind an executor (Mosquitto)', () => {
  const key = generateSigningKey();
  const on = boardOnBroker('fd-prov-0', async (board) => {
    await board.client.upload(readModule(), { confirm: true });
    await board.client.provision(encodeProvision([key.publicKey], controlKeyOf(key)));
  });

  it('without the key the board refuses the flash; with it the module is signed, the run, θ, STOP and RESET are authenticated', async () => {
    const variant = variantModule(readModule(), 'fleet-device-auth', 200);
    const stranger = await FleetDevice.open(on.client, 'fd-prov-0');
    await expect(stranger.upload(variant)).rejects.toMatchObject({ kind: 'board', code: ErrorCode.UNAUTHENTICATED });

    const owner = await FleetDevice.open(on.client, 'fd-prov-0', { key });
    expect((await owner.upload(variant)).committed).toBe(true);
    expect(Buffer.from(owner.info.moduleSha256)).toEqual(Buffer.from(sha256(variant)));
    expect(owner.info.security?.moduleVerified).toBe(true);

    const { nodeRecords, nodeSummary, records, end } = await runBoth(owner, runConfig(6));
    expect(records).toEqual(nodeRecords);
    expect(end.status).toBe(DoneStatus.COMPLETED);
    expect(Array.from(await owner.readParams())).toEqual(Array.from(nodeSummary.params!));

    const theta = Array.from(nodeSummary.params!, (v) => v + 0.25);
    await expect(stranger.writeParams(theta)).rejects.toMatchObject({ code: ErrorCode.UNAUTHENTICATED });
    await owner.writeParams(theta);
    for (const [i, v] of (await owner.readParams()).entries()) expect(v).toBeCloseTo(theta[i], 8);

    expect((await stopAfterThree(owner)).end.status).toBe(DoneStatus.STOPPED);

    await owner.reset();
    expect(Buffer.from(owner.info.moduleSha256)).toEqual(Buffer.from(sha256(variant)));
    await expect(owner.readParams()).rejects.toMatchObject({ code: ErrorCode.BAD_STATE });
  }, 180_000);

  it('CONFIRM and ROLLBACK need the key; an unsigned module and a rollback below the floor are refused', async () => {
    const [first, second] = ['fleet-device-rb-1', 'fleet-device-rb-2'].map((tag) => variantModule(readModule(), tag, 300));
    const stranger = await FleetDevice.open(on.client, 'fd-prov-0');
    const owner = await FleetDevice.open(on.client, 'fd-prov-0', { key });
    const unsigned = owner.upload(first, { manifest: null });
    await expect(unsigned).rejects.toMatchObject({ kind: 'board', code: ErrorCode.SIGNATURE });
    await expect(unsigned).rejects.toThrow(/must be signed/);

    // Signed here with the next counter: confirmed, it raises the board's floor above the previous module's.
    const floor = owner.info.security!.floor;
    const manifest = signManifest(key, {
      size: first.length,
      sha256: sha256(first),
      version: 0,
      counter: floor + 1,
      abi: owner.info.abiVersion,
      target: owner.info.boardName,
    });
    await owner.upload(first, { manifest, confirm: true });
    expect(owner.info.security).toMatchObject({ moduleCounter: floor + 1, floor: floor + 1 });
    const refused = owner.rollback();
    await expect(refused).rejects.toMatchObject({ code: ErrorCode.ROLLBACK });
    await expect(refused).rejects.toThrow(`the previous module's anti-rollback counter ${floor} is below the floor ${floor + 1}`);
    expect(hex((await owner.refreshInfo()).moduleSha256)).toBe(hex(sha256(first)));

    await owner.upload(second);
    expect(owner.info.boot?.pending).toBe(true);
    await expect(stranger.confirm()).rejects.toMatchObject({ code: ErrorCode.UNAUTHENTICATED });
    expect((await owner.refreshInfo()).boot?.pending).toBe(true);
    expect((await owner.confirm()).boot?.pending).toBe(false);

    await expect(stranger.rollback()).rejects.toMatchObject({ code: ErrorCode.UNAUTHENTICATED });
    expect(hex((await owner.refreshInfo()).moduleSha256)).toBe(hex(sha256(second)));
    expect(hex((await owner.rollback()).sha256)).toBe(hex(sha256(first)));
    expect(owner.info).toMatchObject({ security: { moduleVerified: true }, boot: { event: BootEvent.ROLLED_BACK } });
  }, 180_000);
});
