// A board that restarts during a run (here the posix board's watchdog, under a module whose
// step_continue() loops forever) never sends that run's DONE. STOP then finds the board idle and
// ends the run with an error naming the reset cause, instead of leaving it (and a gateway's
// executor running it) waiting for ever; a normal STOP still ends a run with DONE STOPPED.
// Without STOP, `qiot train` notices it by itself (its quiet run probed with STATUS): exit 1
// naming the reset cause, the run log ending with a failed summary — also when the real module's
// board is reset mid-run (SIGVTALRM, its watchdog's signal, after 3 steps): every step received is
// in the log, equal to the in-process module's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeConfig } from '../config/encode.ts';
import { parseConfig } from '../config/load.ts';
import { CONFIG_SIZE, DoneStatus, ResetCause } from '../protocol/constants.ts';
import { readRunLog } from '../runlog/reader.ts';
import { ModuleTarget, readModuleImage } from '../train/module-target.ts';
import { runTraining } from '../train/run.ts';
import { DeviceClient } from './client.ts';
import { MODULE_PATH, qiot, readModule, REPO, scratchDir, startBoard, type BoardSession } from '../../testing/harness.ts';
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

  it('qiot train --monitor on a board whose watchdog fires mid-run exits 1 naming the reset cause, without STOP; the run log says so', async () => {
    await board.client.upload(tinyModule({ loopInStep: true }));
    await board.client.close();
    const tmp = scratchDir();
    try {
      const out = join(tmp.dir, 'run.jsonl');
      const r = await qiot(
        ['train', '--port', board.board.port, '--config', join(REPO, 'examples/iris-nlr.json'), '--steps', '3', '--out', out, '--monitor'],
        (line, child) => {
          // --monitor: after the failed run it watches the board (back, idle) until Ctrl-C, then exits with the run's code.
          if (/connected to posix .* on /.test(line)) child.kill('SIGINT');
        },
      );
      expect(r.stdout).toMatch(/connected to posix \(firmware .*\) on /);
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

  it('qiot train whose board is reset by its watchdog after some steps keeps them all in the log, equal to the in-process run', async () => {
    const setup = await DeviceClient.open(board.board.port);
    await setup.upload(readModule(), { confirm: true }); // confirmed: the reset keeps it
    await setup.close();
    // The firmware runs in a child of the board's supervisor; SIGVTALRM is what its watchdog timer raises.
    const child = Number(readFileSync(`/proc/${board.board.pid}/task/${board.board.pid}/children`, 'utf8').trim().split(/\s+/)[0]);
    expect(child).toBeGreaterThan(0);
    const tmp = scratchDir();
    try {
      const out = join(tmp.dir, 'run.jsonl');
      const config = join(REPO, 'examples/iris-nlr.json');
      let steps = 0;
      const r = await qiot(['train', '--port', board.board.port, '--config', config, '--steps', '200', '--out', out, '--json'], (line) => {
        if (line.includes('"type":"step"') && ++steps === 3) process.kill(child, 'SIGVTALRM');
      });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/it restarted during it \(reset cause: watchdog/);
      const log = readRunLog(out);
      expect(log.summary).toMatchObject({ status: 'failed' });
      expect(log.steps.length).toBeGreaterThanOrEqual(3);
      expect(log.steps.length).toBeLessThan(200);
      expect(log.summary?.steps).toBe(log.steps.length);
      const local = await runTraining(new ModuleTarget(await readModuleImage(MODULE_PATH)), parseConfig(log.header.config), {
        qiotVersion: 't',
        sinks: [],
      });
      expect(log.steps.map((s) => s.raw)).toEqual(local.steps.slice(0, log.steps.length).map((s) => s.raw));
    } finally {
      tmp.remove();
    }
  }, 180_000);
});
