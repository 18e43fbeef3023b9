// On a real Mosquitto: a worker executor driven through FleetClient/RemoteTarget
// writes the same records as the module in this process; a broker restart in the
// middle of a run loses no telemetry record (checked by sequence); a refused config
// and an executor that goes offline come back as their errors.
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeConfig } from '../config/encode.ts';
import { loadConfig, parseConfig } from '../config/load.ts';
import { loadDataset } from '../data/load.ts';
import { packDataset } from '../data/pack.ts';
import { MODULE_PATH, REPO } from '../../testing/harness.ts';
import { ModuleTarget, readModuleImage } from '../train/module-target.ts';
import { runTraining } from '../train/run.ts';
import { ConfigRejectedError } from '../train/target.ts';
import { ThreadBackend } from './backends.ts';
import { ExecutorLostError, FleetClient } from './client.ts';
import { Executor } from './executor.ts';
import { RemoteTarget } from './remote-target.ts';
import { startMosquitto, type Mosquitto } from '../../testing/mosquitto.ts';
import { createRunPool } from './thread-target.ts';
import { CONFIG_SIZE } from '../wasm/abi.ts';

let broker: Mosquitto;
const pool = createRunPool(1);
let executor: Executor;
let client: FleetClient;

beforeAll(async () => {
  broker = await startMosquitto();
  const image = await readModuleImage(MODULE_PATH);
  executor = await Executor.start({ url: broker.url }, new ThreadBackend(pool, image), { id: 'test-worker-0' });
  client = await FleetClient.connect({ url: broker.url }, 'test', { persistent: true });
  await client.watchTelemetry();
  while (client.statuses.get('test-worker-0')?.state !== 'online') await new Promise((r) => setTimeout(r, 20));
});

afterAll(async () => {
  await client?.close();
  await executor?.close().catch(() => undefined);
  await pool.close();
  await broker?.stop();
});

describe('fleet run on Mosquitto', () => {
  it('gives the same run log records as the in-process module', async () => {
    const cfg = loadConfig(join(REPO, 'examples/iris-nlr.json'), { steps: 10, seed: 3 });
    const image = await readModuleImage(MODULE_PATH);
    const remote = await runTraining(new RemoteTarget(client, 'test-worker-0'), cfg, { qiotVersion: 't', sinks: [] });
    const local = await runTraining(new ModuleTarget(image), cfg, { qiotVersion: 't', sinks: [] });
    const strip = (s: (typeof local.steps)[number]) => ({ ...s, step_us: undefined });
    expect(remote.steps.map(strip)).toEqual(local.steps.map(strip));
    expect({ ...remote.summary, wall_time_s: 0 }).toEqual({ ...local.summary, wall_time_s: 0 }); // final θ (params) included
    expect(remote.summary.params).toHaveLength(local.summary.param_count!);
    expect(remote.header.module_sha256).toBe(local.header.module_sha256);
  });

  it('a traced run returns θ₀ and θ after every step, as the in-process module has them', async () => {
    const cfg = loadConfig(join(REPO, 'examples/synthetic-nlr.json'), { steps: 6, seed: 2 });
    const target = new RemoteTarget(client, 'test-worker-0', { trace: true });
    const remote = await runTraining(target, cfg, { qiotVersion: 't', sinks: [] });
    // The same run in this process, reading θ after each step (what the worker thread does).
    const local = new ModuleTarget(await readModuleImage(MODULE_PATH));
    const data = loadDataset(cfg);
    await local.configure(encodeConfig(cfg, data), data ? packDataset(data) : new Uint8Array(0));
    const rows = [Array.from(local.initialParameters())];
    await local.train(cfg.steps, () => rows.push(Array.from(local.module.getParams())));
    expect(remote.steps).toHaveLength(6);
    expect(Array.from(target.trace!)).toEqual(rows.flat());
    expect(rows.at(-1)).toEqual(remote.summary.params);
  });

  it('a run given θ₀ (setStartParams) starts from it, as the in-process module does', async () => {
    const cfg = loadConfig(join(REPO, 'examples/iris-nlr.json'), { steps: 5, seed: 4 });
    const data = loadDataset(cfg);
    const [config, dataset] = [encodeConfig(cfg, data), data ? packDataset(data) : new Uint8Array(0)];
    const local = new ModuleTarget(await readModuleImage(MODULE_PATH));
    await local.configure(config, dataset);
    const theta0 = Array.from(local.initialParameters(), (v, j) => v + 0.25 * (j % 3));
    await local.setStartParams(theta0);
    const localSteps: string[] = [];
    const localEnd = await local.train(cfg.steps, (t) => localSteps.push(Buffer.from(t.raw).toString('hex')));
    const target = new RemoteTarget(client, 'test-worker-0', { trace: true });
    await target.configure(config, dataset);
    await target.setStartParams(theta0);
    const remoteSteps: string[] = [];
    const remoteEnd = await target.train(cfg.steps, (t) => remoteSteps.push(Buffer.from(t.raw).toString('hex')));
    expect(Array.from(target.trace!.subarray(0, theta0.length))).toEqual(theta0);
    expect(remoteSteps).toEqual(localSteps);
    expect(remoteEnd.params).toEqual(Array.from(localEnd.params!));
  });

  it('a board executor refuses a traced run (a board reports no θ between steps)', async () => {
    const image = await readModuleImage(MODULE_PATH);
    const worker = new ThreadBackend(pool, image);
    const boardLike = Object.assign(Object.create(worker) as ThreadBackend, { kind: 'board' });
    const board = await Executor.start({ url: broker.url }, boardLike, { id: 'test-board-trace' });
    try {
      while (client.statuses.get('test-board-trace')?.state !== 'online') await new Promise((r) => setTimeout(r, 20));
      const cfg = loadConfig(join(REPO, 'examples/iris-nlr.json'), { steps: 2 });
      const result = await runTraining(new RemoteTarget(client, 'test-board-trace', { trace: true }), cfg, { qiotVersion: 't', sinks: [] });
      expect(result.summary.status).toBe('failed');
      expect(result.summary.error).toMatch(/test-board-trace is a board: 'trace' needs a worker/);
    } finally {
      await board.close();
    }
  });

  it.each([
    { kind: 'layerwise', groups: 2 },
    { kind: 'restarts', count: 2 },
  ])('runs a $kind schedule segment by segment (θ carried in `train`) with the records of the in-process module', async (schedule) => {
    const cfg = parseConfig({ ...loadConfig(join(REPO, 'examples/iris-nlr.json'), { steps: 8, seed: 3 }), layers: 2, schedule });
    const image = await readModuleImage(MODULE_PATH);
    const remote = await runTraining(new RemoteTarget(client, 'test-worker-0'), cfg, { qiotVersion: 't', sinks: [] });
    const local = await runTraining(new ModuleTarget(image), cfg, { qiotVersion: 't', sinks: [] });
    const strip = (s: (typeof local.steps)[number]) => ({ ...s, step_us: undefined });
    expect(remote.steps.map(strip)).toEqual(local.steps.map(strip));
    expect(remote.summary.schedule?.segments.length).toBe(schedule.kind === 'layerwise' ? 3 : 2);
    expect({ ...remote.summary, wall_time_s: 0 }).toEqual({ ...local.summary, wall_time_s: 0 });
  });

  it('loses no telemetry record when the broker restarts mid-run', async () => {
    // Runs until stopped; the broker restarts after record 20 and the run is stopped
    // only once 20 more records arrived after the restart, so the restart is mid-run.
    const cfg = loadConfig(join(REPO, 'examples/iris-nlr.json'), { steps: 0, seed: 5 });
    const target = new RemoteTarget(client, 'test-worker-0');
    let seen = 0;
    let afterRestart = -1;
    const restarted = new Promise<void>((resolve) => {
      const unwatch = client.onTelemetry(() => {
        seen++;
        if (seen === 20) {
          void broker.restart().then(() => {
            afterRestart = 0;
            resolve();
          });
        }
        if (afterRestart >= 0 && ++afterRestart === 20) {
          target.stop();
          unwatch();
        }
      });
    });
    const result = await runTraining(target, cfg, { qiotVersion: 't', sinks: [] });
    await restarted;
    expect(result.summary.status).toBe('stopped');
    const n = result.steps.length;
    expect(n).toBeGreaterThanOrEqual(40);
    expect(result.steps.map((s) => s.step)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    const local = await runTraining(
      new ModuleTarget(await readModuleImage(MODULE_PATH)),
      { ...cfg, steps: n },
      { qiotVersion: 't', sinks: [] },
    );
    expect(result.steps.map((s) => s.raw)).toEqual(local.steps.map((s) => s.raw));
  });

  it('reports a config the module refuses', async () => {
    while (client.statuses.get('test-worker-0')?.state !== 'online') await new Promise((r) => setTimeout(r, 20));
    const target = new RemoteTarget(client, 'test-worker-0');
    await target.configure(new Uint8Array(CONFIG_SIZE), new Uint8Array(0));
    await expect(target.train(1, () => undefined)).rejects.toBeInstanceOf(ConfigRejectedError);
  });

  it('an executor that closes stays offline for new clients (its own offline echo is not answered with online)', async () => {
    const image = await readModuleImage(MODULE_PATH);
    const leaving = await Executor.start({ url: broker.url }, new ThreadBackend(pool, image), { id: 'test-leaving' });
    await leaving.close();
    const late = await FleetClient.connect({ url: broker.url }, 'late');
    try {
      while (!late.statuses.has('test-leaving')) await new Promise((r) => setTimeout(r, 20));
      await late.discover(500); // any later status would arrive here
      expect(late.statuses.get('test-leaving')).toMatchObject({ state: 'offline', reason: 'stopped' });
    } finally {
      await late.close();
    }
  });

  it('a persistent client (a sweep) leaves no session on the broker once closed', async () => {
    const sessionPresent = async (clientId: string) => {
      const raw = mqtt.connect(broker.url, { protocolVersion: 4, clientId, clean: false, reconnectPeriod: 0 });
      const connack = await new Promise<{ sessionPresent: boolean }>((resolve, reject) => {
        raw.once('connect', resolve);
        raw.once('error', reject);
      });
      await raw.endAsync();
      return connack.sessionPresent;
    };
    const sweep = await FleetClient.connect({ url: broker.url }, 'sweep', { persistent: true });
    const id = sweep.clientId;
    await sweep.mqtt.endAsync(); // gone without cleaning: the broker keeps the session
    expect(await sessionPresent(id)).toBe(true);
    const again = await FleetClient.connect({ url: broker.url }, 'sweep', { persistent: true });
    await again.close();
    expect(await sessionPresent(again.clientId)).toBe(false);
  });

  it('an unknown executor id ends a command with a clear error instead of hanging', async () => {
    await expect(client.call('no-such-board', 'info', {}, 1_000)).rejects.toThrow(/no answer from no-such-board/);
    await expect(client.call('no-such-board', 'info', {}, 1_000)).rejects.toBeInstanceOf(ExecutorLostError);
  });
});
