// DeviceClient probes a quiet run with STATUS (docs/device-client.md "A board that restarts
// during a run"), against the in-process fake board with steps the test ends by hand, so
// nothing depends on speed: a slow honest run is probed many times and still completes, a
// board that restarted ends the run naming the reset cause, a deaf one counts as unreachable.
// The real posix board's watchdog: restart-mid-run.test.ts.
import { describe, expect, it } from 'vitest';
import { DoneStatus, MessageType, ResetCause } from '../protocol/constants.ts';
import { createMemoryLink } from '../transport/memory.ts';
import { FakeBoard } from '../../testing/fake-board.ts';
import { BoardTarget } from './board-target.ts';
import { DeviceClient, type Liveness } from './client.ts';
import { BoardRestartedError, DeviceUnreachableError } from './errors.ts';

async function setup(liveness: Liveness) {
  const [host, boardSide] = createMemoryLink('fake');
  const board = new FakeBoard(boardSide, { manualSteps: true });
  const client = await DeviceClient.connect(host, { helloIntervalMs: 20, timeoutMs: 2000, liveness });
  const tseqs: number[] = [];
  const run = await client.train(3, { onTelemetry: (t) => tseqs.push(t.tseq) });
  return { board, client, run, tseqs };
}

/** Resolves once `ok()` holds (checked on each timer turn; the test's own timeout bounds it). */
async function until(ok: () => boolean): Promise<void> {
  while (!ok()) await new Promise((r) => setTimeout(r, 5));
}

describe('a quiet run is probed with STATUS', () => {
  it('a slow honest run (steps far longer than the quiet limit) is probed, never ended, and completes with every record', async () => {
    const { board, client, run, tseqs } = await setup({ quietMs: 10, silentMs: 5_000 });
    for (let step = 1; step <= 3; step++) {
      const probed = board.statusDuringRun;
      await until(() => board.statusDuringRun >= probed + 3); // three probes answered 'training' during this step
      expect(run.open).toBe(true);
      board.advance();
    }
    board.advance(); // DONE
    const end = await run.done;
    expect(end.status).toBe(DoneStatus.COMPLETED);
    expect(tseqs).toEqual([1, 2, 3]);
    await client.close();
  }, 30_000);

  it('a board that restarted mid-run ends it with a restarted error naming the reset cause, without STOP', async () => {
    const { board, client, run, tseqs } = await setup({ quietMs: 10, silentMs: 5_000 });
    board.advance();
    await until(() => tseqs.length === 1);
    board.restart(ResetCause.WATCHDOG);
    // A host polling INFO meanwhile (as a gateway's `info` op does) gets answers from the restarted board: the run still ends.
    let polling = true;
    const poll = (async () => {
      while (polling) await client.refreshInfo().catch(() => undefined);
    })();
    const err = await run.done.catch((e: unknown) => e);
    polling = false;
    await poll;
    expect(err).toBeInstanceOf(BoardRestartedError);
    expect((err as BoardRestartedError).kind).toBe('restarted');
    expect((err as Error).message).toBe(
      'the board on fake (host side) is idle and sent no DONE for the run: it restarted during it (reset cause: watchdog (a call into the module ran too long))',
    );
    expect(tseqs).toEqual([1]); // what arrived before the restart was delivered
    expect(client.info.boot?.resetCause).toBe(ResetCause.WATCHDOG); // INFO read again: the board's new boot
    await client.close();
  }, 30_000);

  it('STOP on a restarted board gives the same error (one check for both)', async () => {
    const { board, client, run } = await setup({ quietMs: 60_000, silentMs: 5_000 });
    board.restart(ResetCause.CRASH);
    await client.stop();
    await expect(run.done).rejects.toThrow(/is idle and sent no DONE for the run: it restarted during it \(reset cause: crash/);
    await client.close();
  }, 30_000);

  it('a board that stops answering altogether ends the run as unreachable (BoardTarget keeps it for the exit code)', async () => {
    const [host, boardSide] = createMemoryLink('fake');
    const board = new FakeBoard(boardSide, { manualSteps: true });
    const client = await DeviceClient.connect(host, { helloIntervalMs: 20, timeoutMs: 2000, liveness: { quietMs: 10, silentMs: 50 } });
    const target = new BoardTarget(client);
    const training = target.train(3, () => undefined);
    await until(() => board.received.some((f) => f.type === MessageType.TRAIN_START));
    board.deaf = true;
    const err = await training.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeviceUnreachableError);
    expect((err as DeviceUnreachableError).kind).toBe('unreachable');
    expect((err as Error).message).toMatch(/sent nothing for 10 ms during the run, then left STATUS unanswered for 50 ms/);
    expect(target.deviceFailure).toBe(err);
    await client.close();
  }, 30_000);
});
