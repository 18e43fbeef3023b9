// PARAMS_READ/WRITE through DeviceClient and `qiot params` on the posix board: θ after a run
// equals, bit for bit, θ of the in-process module after the same run (independent engine);
// written θ reads back; bad input and a board with no run are refused with their exit codes.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.ts';
import { BoardTarget } from '../device/board-target.ts';
import { DeviceClient } from '../device/client.ts';
import { BoardError } from '../device/errors.ts';
import { ModuleTarget, readModuleImage } from '../train/module-target.ts';
import { runTraining } from '../train/run.ts';
import { MODULE_PATH, qiot, readModule, REPO, scratchDir, startBoard, type BoardSession } from '../../testing/harness.ts';

const cfg = () => loadConfig(join(REPO, 'examples/iris-nlr.json'), { steps: 4 });

describe('θ on the posix board', () => {
  let session: BoardSession;
  const scratch = scratchDir();
  beforeAll(async () => {
    session = await startBoard();
    expect((await session.client.upload(readModule())).committed).toBe(true);
  });
  /** The CLI needs the port, which the session's client holds (serial ports are locked). */
  async function cli(args: string[]) {
    await session.client.close();
    try {
      return await qiot([...args, '--port', session.board.port]);
    } finally {
      session.client = await DeviceClient.open(session.board.port);
    }
  }
  afterAll(async () => {
    await session?.close();
    scratch.remove();
  });

  it('is refused before any run since the module was loaded (BAD_STATE, exit 1)', async () => {
    const err = await session.client.readParams().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BoardError);
    expect((err as BoardError).codeName).toBe('BAD_STATE');
    const out = await cli(['params', 'get']);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/board refused PARAMS_READ: BAD_STATE/);
  });

  it('after a run equals the in-process module’s θ bit for bit; a write reads back', async () => {
    const node = new ModuleTarget(await readModuleImage(MODULE_PATH));
    await runTraining(node, cfg(), { qiotVersion: 'e2e', sinks: [] });
    const expected = node.module.getParams();
    await runTraining(new BoardTarget(session.client), cfg(), { qiotVersion: 'e2e', sinks: [] });

    const theta = await session.client.readParams();
    expect(theta.length).toBe(expected.length);
    expect(theta.length).toBeGreaterThan(0);
    expect([...theta]).toEqual([...expected]);

    const written = theta.map((v, i) => v + 0.25 * (i + 1));
    await session.client.writeParams(written);
    expect([...(await session.client.readParams())]).toEqual([...written]);

    const wrongCount = await session.client.writeParams(written.subarray(1)).catch((e: unknown) => e);
    expect((wrongCount as BoardError).codeName).toBe('BAD_PAYLOAD');
  });

  it('qiot params get --json | params set round-trips θ through a file', async () => {
    const got = await cli(['params', 'get', '--json']);
    expect(got.code).toBe(0);
    const before = JSON.parse(got.stdout) as { count: number; params: number[] };
    expect(before.params).toHaveLength(before.count);

    const file = join(scratch.dir, 'theta.json');
    writeFileSync(file, JSON.stringify(before.params.map((v) => -v)));
    const set = await cli(['params', 'set', file]);
    expect(set.code).toBe(0);
    expect([...(await session.client.readParams())]).toEqual(before.params.map((v) => -v));
  });

  it('refuses a file that is not θ with exit 2, naming the problem', async () => {
    const file = join(scratch.dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ params: [0.5, 'x'] }));
    const bad = await cli(['params', 'set', file]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/params\[1\] is "x", expected a finite number/);
    const missing = await cli(['params', 'set', join(scratch.dir, 'absent.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*absent\.json/);
  });
});
