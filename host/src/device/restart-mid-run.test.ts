// A board that restarts during a run (here the posix board's watchdog, under a module whose
// step_continue() loops forever) never sends that run's DONE. STOP then finds the board idle and
// ends the run with an error naming the reset cause, instead of leaving it (and a gateway's
// executor running it) waiting for ever; a normal STOP still ends a run with DONE STOPPED.
// Without STOP, `qiot train` notices it by itself (its quiet run probed with STATUS): exit 1
// naming the reset cause, the run log ending with a failed summary.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeConfig } from '../config/encode.ts';
import { parseConfig } from '../config/load.ts';
import { CONFIG_SIZE, DoneStatus, ResetCause } from '../protocol/constants.ts';
import { qiot, readModule, REPO, scratchDir, startBoard, type BoardSession } from '../../testing/harness.ts';
import { tinyModule } from '../../testing/tiny-module.ts';
import { BoardTarget } from './board-target.ts';

describe('a run whose board restarts under it (posix board, watchdog)', () => {
  let board: BoardSession;
  beforeAll(async () => {
    board = await startBoard();
    await board.client.upload(readModule(), { confirm: true });
  }, 60_000);
  afterAll(() => board?.close());

  it('STOP ends it with an error naming the watchdog; the reverted board trains and stops normally', async () => {
    const client = board.client;
    await client.upload(tinyModule({ loopInStep: true }));
    const target = new BoardTarget(client);
    await target.configure(new Uint8Array(CONFIG_SIZE), new Uint8Array(0));
    const training = target.train(3, () => undefined);
    training.catch(() => undefined);
    // The watchdog counts 1 s of CPU time in the call, then the board restarts on the previous module.
    for (;;) {
      const info = await client.refreshInfo().catch(() => null);
      if (info?.boot?.resetCause === ResetCause.WATCHDOG) break;
    }
    target.stop();
    await expect(training).rejects.toThrow(/is idle and sent no DONE for the run: it restarted during it \(reset cause: watchdog/);

    const cfg = parseConfig({ qubits: 2, layers: 1, ansatz: 'hea', cost: 'local', steps: 5 }, 'restart test');
    await client.configure(encodeConfig(cfg, null), new Uint8Array(0));
    let seen = 0;
    const run = await client.train(0, {
      onTelemetry: () => {
        if (++seen === 2) void client.stop();
      },
    });
    expect((await run.done).status).toBe(DoneStatus.STOPPED);
  }, 120_000);

  it('qiot train on a board whose watchdog fires mid-run exits 1 naming the reset cause, without STOP; the run log says so', async () => {
    await board.client.upload(tinyModule({ loopInStep: true }));
    await board.client.close();
    const tmp = scratchDir();
    try {
      const out = join(tmp.dir, 'run.jsonl');
      const r = await qiot([
        'train',
        '--port',
        board.board.port,
        '--config',
        join(REPO, 'examples/iris-nlr.json'),
        '--steps',
        '3',
        '--out',
        out,
      ]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /qiot: run failed: the board on .* is idle and sent no DONE for the run: it restarted during it \(reset cause: watchdog/,
      );
      const records = readFileSync(out, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { type: string; status?: string; error?: string });
      expect(records[0].type).toBe('header');
      const summary = records[records.length - 1];
      expect(summary).toMatchObject({ type: 'summary', status: 'failed' });
      expect(summary.error).toMatch(/restarted during it \(reset cause: watchdog/);
    } finally {
      tmp.remove();
    }
  }, 180_000);
});
