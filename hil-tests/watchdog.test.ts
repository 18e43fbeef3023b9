// Trial boot, watchdog and native stack guard (docs/reliability.md). A module built by our own
// generator (host/testing/tiny-module.ts) whose step_continue() loops forever is flashed over the
// good module and trained: the watchdog resets the board, which boots the previous module, says so
// in INFO (reverted, watchdog) and trains it bit-identically to Node. One whose step_continue()
// recurses without end traps "[trap] stack overflow" (native stack guard) and the board stays up.
// Over a gateway the same, through the fleet's flash, train, stop, confirm and rollback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BootEvent, CONFIG_SIZE, DoneStatus, ResetCause } from '../host/src/protocol/constants.ts';
import type { DeviceInfo } from '../host/src/protocol/info.ts';
import { tinyModule } from '../host/testing/tiny-module.ts';
import { HilBoard, type HilDevice } from './board.ts';
import { EXACT, withChanges } from './configs.ts';
import { BASE_MS } from './limits.ts';
import { boardRun, hex, nodeRun, readModule, sha256Hex } from './reference.ts';
import { scaled, TARGET } from './target.ts';

/** HELLO until the board answers with a boot section whose reset cause is `cause`. */
async function awaitRestart(client: HilDevice, cause: number): Promise<DeviceInfo> {
  const deadline = Date.now() + scaled(BASE_MS.watchdogReset);
  for (;;) {
    const info = await client.refreshInfo().catch(() => null);
    if (info?.boot?.resetCause === cause) return info;
    if (Date.now() > deadline) throw new Error(`no boot with reset cause ${cause} within ${scaled(BASE_MS.watchdogReset)} ms`);
  }
}

describe(`trial boot, watchdog and stack guard (${TARGET.name})`, () => {
  const good = readModule();
  const cfg = withChanges(EXACT, { steps: 3 });
  let board: HilBoard;
  beforeAll(async () => {
    board = await HilBoard.start();
    expect((await board.upload(good, { confirm: true })).committed).toBe(true);
    expect(board.client.info.boot?.pending).toBe(false);
  });
  afterAll(() => board?.close());

  it('a module that loops forever in a call is reset by the watchdog and the board boots the previous module', async () => {
    const looping = tinyModule({ loopInStep: true });
    expect((await board.upload(looping)).committed).toBe(true);
    const trial = board.client.info;
    expect(hex(trial.moduleSha256)).toBe(sha256Hex(looping));
    expect(trial.boot?.pending).toBe(true);
    expect(hex(trial.boot!.previous!.sha256)).toBe(sha256Hex(good));

    await board.client.configure(new Uint8Array(CONFIG_SIZE), new Uint8Array(0));
    const run = await board.client.train(3, { onTelemetry: () => undefined });
    run.done.catch(() => undefined);
    const info = await awaitRestart(board.client, ResetCause.WATCHDOG);
    expect(hex(info.moduleSha256)).toBe(sha256Hex(good));
    expect(info.boot).toMatchObject({ pending: false, event: BootEvent.REVERTED, eventCause: ResetCause.WATCHDOG });
    expect(hex(info.boot!.previous!.sha256)).toBe(sha256Hex(looping));
    // The board restarted mid-run and sends no DONE: STOP finds it idle and ends the run (over a gateway this
    // frees the board's executor, which was still running it).
    await board.client.stop();
    await expect(run.done).rejects.toThrow(/sent no DONE for the run: it restarted during it \(reset cause: watchdog/);

    const [node, after] = [await nodeRun(cfg), await boardRun(board.client, cfg)];
    expect(after.records).toEqual(node.records);
    expect(after.end.status).toBe(DoneStatus.COMPLETED);
  });

  it('deep recursion in a module traps (native stack guard) instead of crashing the board', async () => {
    const recursing = tinyModule({ recurseInStep: true });
    expect((await board.upload(recursing)).committed).toBe(true);
    await board.client.configure(new Uint8Array(CONFIG_SIZE), new Uint8Array(0));
    const end = await (await board.client.train(3, { onTelemetry: () => undefined })).done;
    expect(end.status).toBe(DoneStatus.TRAP);
    expect(end.errors).toEqual(['MODULE_TRAP: step trapped: [trap] stack overflow (native stack guard)']);
    const info = await board.client.refreshInfo();
    expect(info.boot?.resetCause).not.toBe(ResetCause.CRASH);
    expect(hex(info.moduleSha256)).toBe(sha256Hex(recursing)); // a trap is no reset: still on trial

    // ROLLBACK returns to the good module, which trains as before.
    const back = await board.client.rollback();
    expect(hex(back.sha256)).toBe(sha256Hex(good));
    expect(board.client.info.boot?.event).toBe(BootEvent.ROLLED_BACK);
    const [node, after] = [await nodeRun(cfg), await boardRun(board.client, cfg)];
    expect(after.records).toEqual(node.records);
  });
});
