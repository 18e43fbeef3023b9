// `qiot fleet params get|set` and `qiot fleet reset` through the CLI, on a real
// Mosquitto, against a posix board behind an executor (what a gateway runs): θ read
// over the fleet equals θ read over the board's serial link, a write reads back over
// serial, a reset restarts the board (telemetry counting starts over, θ gone), and
// the board's refusals and the usage errors come back with their exit codes
// (unknown ids: fleet-cli.test.ts).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.ts';
import { MODULE_PATH, qiot, readModule, REPO, scratchDir, startBoard, type BoardSession } from '../../testing/harness.ts';
import { readModuleImage } from '../train/module-target.ts';
import { runTraining } from '../train/run.ts';
import { BoardBackend, ThreadBackend } from './backends.ts';
import { FleetClient } from './client.ts';
import { Executor } from './executor.ts';
import { RemoteTarget } from './remote-target.ts';
import { startMosquitto, type Mosquitto } from '../../testing/mosquitto.ts';
import { createRunPool } from './thread-target.ts';

let broker: Mosquitto;
let board: BoardSession;
let scratch: ReturnType<typeof scratchDir>;
const pool = createRunPool(1);
const executors: Executor[] = [];
let client: FleetClient;
const b = () => ['--broker', broker.url];

beforeAll(async () => {
  broker = await startMosquitto();
  scratch = scratchDir();
  board = await startBoard();
  await board.client.upload(readModule());
  await board.client.refreshInfo();
  executors.push(await Executor.start({ url: broker.url }, new BoardBackend(board.client), { id: 'pp-posix-0' }));
  executors.push(
    await Executor.start({ url: broker.url }, new ThreadBackend(pool, await readModuleImage(MODULE_PATH)), { id: 'pp-worker-0' }),
  );
  client = await FleetClient.connect({ url: broker.url }, 'test');
  while (client.online().length < 2) await new Promise((r) => setTimeout(r, 20));
}, 120_000);

afterAll(async () => {
  await client?.close();
  for (const e of executors) await e.close().catch(() => undefined);
  await pool.close();
  await board?.close();
  await broker?.stop();
  scratch?.remove();
});

describe('fleet params and reset', () => {
  it('before any run the board refuses with BAD_STATE: exit 1; a worker: exit 2', async () => {
    const refused = await qiot(['fleet', 'params', 'get', 'pp-posix-0', ...b()]);
    expect(refused.code, refused.stderr).toBe(1);
    expect(refused.stderr).toMatch(/pp-posix-0: board refused PARAMS_READ: BAD_STATE/);
    const worker = await qiot(['fleet', 'reset', 'pp-worker-0', ...b()]);
    expect(worker.code).toBe(2);
    expect(worker.stderr).toMatch(/pp-worker-0 is a worker: 'reset' needs a board/);
  }, 120_000);

  it('θ over the fleet equals θ over serial; a write reads back; reset restarts the board', async () => {
    const cfg = loadConfig(join(REPO, 'examples/iris-nlr.json'), { steps: 3, seed: 2 });
    await runTraining(new RemoteTarget(client, 'pp-posix-0'), cfg, { qiotVersion: 't', sinks: [] });

    const got = await qiot(['fleet', 'params', 'get', 'pp-posix-0', '--json', ...b()]);
    expect(got.code, got.stderr).toBe(0);
    const fleet = JSON.parse(got.stdout) as { id: string; count: number; params: number[] };
    const serial = [...(await board.client.readParams())];
    expect(fleet).toEqual({ id: 'pp-posix-0', count: serial.length, params: serial });
    expect(serial.length).toBeGreaterThan(0);

    const theta = serial.map((v, i) => Number((v / 2 + i * 0.01).toFixed(6)));
    const file = join(scratch.dir, 'theta.json');
    writeFileSync(file, JSON.stringify(theta));
    const set = await qiot(['fleet', 'params', 'set', file, 'pp-posix-0', ...b()]);
    expect(set.code, set.stderr).toBe(0);
    const back = [...(await board.client.readParams())];
    expect(back).toHaveLength(theta.length);
    for (const [i, v] of theta.entries()) expect(back[i]).toBeCloseTo(v, 8); // Q1.30 on the board: ~1e-9 resolution
    expect(back).not.toEqual(serial);

    expect((await board.client.status()).nextTseq).toBeGreaterThan(1);
    const reset = await qiot(['fleet', 'reset', 'pp-posix-0', ...b()]);
    expect(reset.code, reset.stderr).toBe(0);
    expect((await board.client.status()).nextTseq).toBe(1); // restarted: telemetry counting starts over
    await expect(board.client.readParams()).rejects.toThrow(/BAD_STATE/); // θ lived in RAM: no run since the restart
  }, 180_000);
});
