// A sweep whose board restarts under a run (docs/fleet.md "A board that restarts during a run"),
// on a real Mosquitto: the executor replies `error` kind `restarted`, the sweep queues the run
// again (at-least-once, no partial or duplicate log), and a run that keeps restarting boards
// fails after FLEET.sweepMaxRestarts naming the reset cause. First with executors whose target
// restarts on cue (exact counts), then a posix board behind a gateway whose watchdog fires
// mid-run (SIGVTALRM to the board process, what its watchdog timer sends): the sweep completes,
// every log equal to the in-process module's (what `qiot sim` writes), the board back online.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { launchPosixBoard } from '../boards/posix.ts';
import { parseConfig } from '../config/load.ts';
import { DeviceClient } from '../device/client.ts';
import { BoardRestartedError } from '../device/errors.ts';
import { readRunLog } from '../runlog/reader.ts';
import { ModuleTarget, readModuleImage, type ModuleImage } from '../train/module-target.ts';
import { runTraining } from '../train/run.ts';
import type { StepTelemetry, TargetSummary } from '../train/target.ts';
import { MODULE_PATH, readModule } from '../../testing/harness.ts';
import { fleetOnMosquitto, irisRuns, sweepInto, until } from '../../testing/fleet-fixture.ts';
import { ThreadBackend } from './backends.ts';
import { AttachedBoard } from './gateway.ts';
import { FLEET } from './limits.ts';
import type { SweepRun } from './sweep-grid.ts';
import { createRunPool, type ThreadTarget } from './thread-target.ts';

const fleet = fleetOnMosquitto();
let image: ModuleImage;
beforeAll(async () => {
  image = await readModuleImage(MODULE_PATH);
});

const sweep = (runs: SweepRun[], dir: string, notes: string[]) =>
  sweepInto(fleet.client, runs, dir, image.sha256, { waitMs: FLEET.sweepWaitS * 1000, onNote: (t) => notes.push(t) });

/** Every log of `dir` is complete, once, and equal to the in-process module's run of its config (final θ included). */
async function expectLikeSim(dir: string, runs: number): Promise<void> {
  expect(readdirSync(dir).filter((f) => f.includes('.partial'))).toEqual([]);
  const logs = readdirSync(dir).filter((f) => f.endsWith('.jsonl') && f !== 'index.jsonl');
  expect(logs).toHaveLength(runs);
  expect(readFileSync(join(dir, 'index.jsonl'), 'utf8').trim().split('\n')).toHaveLength(runs);
  for (const f of logs) {
    const log = readRunLog(join(dir, f));
    const local = await runTraining(new ModuleTarget(image), parseConfig(log.header.config), { qiotVersion: 't', sinks: [] });
    expect(log.summary?.status, f).toBe('completed');
    expect(
      log.steps.map((s) => ({ ...s, step_us: undefined })),
      f,
    ).toEqual(local.steps.map((s) => ({ ...s, step_us: undefined })));
    expect({ ...log.summary, wall_time_s: 0 }, f).toEqual({ ...local.summary, wall_time_s: 0 });
  }
}

/** A worker whose runs' boards "restart" (BoardRestartedError after the executor's ok) while `restarting()` says so. */
async function restartingExecutor(id: string, restarting: () => boolean): Promise<{ trained: () => number; close: () => Promise<void> }> {
  const pool = createRunPool(1);
  fleet.onClose(() => pool.close());
  let trained = 0;
  class Restarting extends ThreadBackend {
    override target(): ThreadTarget {
      const target = super.target();
      const train = target.train.bind(target);
      target.train = async (steps: number, onStep: (s: StepTelemetry) => void): Promise<TargetSummary> => {
        trained++;
        if (restarting()) throw new BoardRestartedError(`${id}'s port`, 'idle', 'watchdog (a call into the module ran too long)');
        return train(steps, onStep);
      };
      return target;
    }
  }
  const executor = await fleet.executor(new Restarting(pool, image), { id });
  return { trained: () => trained, close: () => executor.close() };
}

describe('a sweep whose board restarts under a run', () => {
  it('queues the run again (error kind restarted) and completes every run once, like the in-process module', async () => {
    let restarts = 1;
    const ex = await restartingExecutor('restart-once', () => restarts-- > 0);
    const runs = irisRuns(3, [1, 2]);
    const dir = mkdtempSync(join(tmpdir(), 'qiot-restart-'));
    const notes: string[] = [];
    try {
      const result = await sweep(runs, dir, notes);
      expect(result).toMatchObject({ completed: 2, failed: 0, requeued: 1, interrupted: false });
      expect(ex.trained()).toBe(3);
      expect(notes.filter((n) => / — queued again/.test(n))).toEqual([
        expect.stringMatching(
          /^.*: restart-once: the board on .* is idle and sent no DONE for the run: it restarted during it \(reset cause: watchdog .* — queued again \(board restart 1; at 3 the run fails\)$/,
        ),
      ]);
      await expectLikeSim(dir, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await ex.close(); // the next tests use their own executors only
    }
  }, 120_000);

  it(`fails a run that restarted its board FLEET.sweepMaxRestarts (${FLEET.sweepMaxRestarts}) times, naming the reset cause`, async () => {
    await until(() => fleet.client.online().length === 0);
    const ex = await restartingExecutor('restart-always', () => true);
    const dir = mkdtempSync(join(tmpdir(), 'qiot-restart-'));
    const notes: string[] = [];
    try {
      const result = await sweep(irisRuns(3, [7]), dir, notes);
      expect(result).toMatchObject({ completed: 0, failed: 1, requeued: FLEET.sweepMaxRestarts - 1 });
      expect(ex.trained()).toBe(FLEET.sweepMaxRestarts);
      const log = readdirSync(dir).find((f) => f.endsWith('.jsonl') && f !== 'index.jsonl')!;
      const summary = readRunLog(join(dir, log)).summary!;
      expect(summary.status).toBe('failed');
      expect(summary.error).toMatch(
        /restarted during it \(reset cause: watchdog .*; its board restarted during this run 3 times, so the run is taken for the cause and not run again$/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await ex.close();
    }
  }, 120_000);

  it('a posix board behind a gateway whose watchdog fires mid-run: the run is run again, the sweep completes like the in-process module, the board is back online', async () => {
    await until(() => fleet.client.online().length === 0);
    const board = await launchPosixBoard();
    fleet.onClose(() => board.stop());
    // A confirmed module: the restart keeps it (an unconfirmed one would be reverted, docs/reliability.md).
    const setup = await DeviceClient.open(board.port);
    await setup.upload(readModule(), { confirm: true });
    await setup.close();
    const notes: string[] = [];
    const gateway = new AttachedBoard(
      'gw-posix-0',
      { kind: 'port', path: board.port },
      {
        settings: { url: fleet.broker.url },
        idPrefix: 'gw',
        tags: [],
        note: (t) => notes.push(t),
      },
    );
    fleet.onClose(() => gateway.stop());
    await until(() => fleet.client.statuses.get('gw-posix-0')?.state === 'online');

    // The board's firmware runs in a child of its supervisor; SIGVTALRM is what its watchdog timer raises.
    const child = Number(readFileSync(`/proc/${board.pid}/task/${board.pid}/children`, 'utf8').trim().split(/\s+/)[0]);
    expect(child).toBeGreaterThan(0);
    let fired = false;
    const unwatch = fleet.client.onTelemetry((id) => {
      if (id !== 'gw-posix-0' || fired) return;
      fired = true; // the first records of the first run arrived: it has most of its 20 steps (~80 ms each) to go
      process.kill(child, 'SIGVTALRM');
    });
    const runs = irisRuns(20, [1, 2]);
    const dir = mkdtempSync(join(tmpdir(), 'qiot-restart-'));
    try {
      const result = await sweep(runs, dir, notes);
      unwatch();
      expect(fired).toBe(true);
      expect(result).toMatchObject({ completed: 2, failed: 0, requeued: 1, interrupted: false });
      expect(notes.filter((n) => / — queued again/.test(n))).toEqual([
        expect.stringMatching(
          /gw-posix-0: the board on .* is idle and sent no DONE for the run: it restarted during it \(reset cause: watchdog/,
        ),
      ]);
      await expectLikeSim(dir, 2);
      const status = fleet.client.statuses.get('gw-posix-0');
      expect(status).toMatchObject({ state: 'online', busy: null, module_sha256: image.sha256 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
