// `qiot emulate` and `qiot monitor` as child processes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.ts';
import { encodeConfig } from '../config/encode.ts';
import { loadDataset } from '../data/load.ts';
import { packDataset } from '../data/pack.ts';
import { DeviceClient } from '../device/client.ts';
import { launchPosixBoard } from '../boards/posix.ts';
import { qiot, readModule, REPO, scratchDir } from '../../testing/harness.ts';
import { qiotInTerminal } from '../../testing/terminal.ts';

describe('qiot emulate', () => {
  it('prints the port, serves it until SIGTERM, then stops the board and exits 0', async () => {
    let port = '';
    let info: { code: number | null; stdout: string } | null = null;
    const run = qiot(['emulate'], (line, child) => {
      const m = /^PORT (\/dev\/pts\/\d+)$/.exec(line);
      if (!m) return;
      port = m[1];
      void qiot(['info', '--port', port, '--json']).then((r) => {
        info = r;
        child.kill('SIGTERM');
      });
    });
    const r = await run;
    expect(port).toMatch(/^\/dev\/pts\/\d+$/);
    expect(info!.code).toBe(0);
    expect(JSON.parse(info!.stdout)).toMatchObject({ board: 'posix', port });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/posix board stopped/);
    // The board is gone with its pseudo-terminal.
    const after = await qiot(['info', '--port', port]);
    expect(after.code).toBe(3);
  });

  it('refuses an unknown board, listing the known ones', async () => {
    const r = await qiot(['emulate', '--board', 'z80']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown board 'z80'; choose from posix, rv32/);
  });
});

describe('qiot monitor', () => {
  it('prints a run’s telemetry with timestamps, logs it to a file, exits 0 on SIGINT', async () => {
    const scratch = scratchDir();
    const board = await launchPosixBoard();
    try {
      // A host starts an open-ended run and goes away; the board keeps training (drop-oldest:
      // in the default pause mode it would wait for the host's acknowledgements).
      const client = await DeviceClient.open(board.port);
      await client.upload(readModule());
      const cfg = loadConfig(join(REPO, 'examples/iris-nlr.json'));
      const dataset = loadDataset(cfg)!;
      await client.configure(encodeConfig(cfg, dataset), packDataset(dataset));
      await client.train(0, { onTelemetry: () => undefined }, { telemetry: 'drop-oldest' });
      await client.close();

      const log = join(scratch.dir, 'monitor.log');
      let telemetryLines = 0;
      const r = await qiot(['monitor', '--port', board.port, '--log', log], (line, child) => {
        if (/TELEMETRY tseq \d+ step \d+ OK phase [+-] mini-batch loss /.test(line) && ++telemetryLines === 3) child.kill('SIGINT');
      });
      expect(r.stderr).toBe('');
      expect(r.signal).toBeNull();
      expect(r.code).toBe(0);
      const lines = r.stdout.trim().split('\n');
      expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z connected to posix/);
      expect(telemetryLines).toBeGreaterThanOrEqual(3);
      const steps = lines
        .map((l) => /TELEMETRY tseq (\d+) step (\d+)/.exec(l))
        .filter((m) => m !== null)
        .map((m) => Number(m![2]));
      expect(steps.slice(1)).toEqual(steps.slice(1).map((_, i) => steps[0] + i + 1));
      expect(readFileSync(log, 'utf8')).toBe(r.stdout);
    } finally {
      await board.stop();
      scratch.remove();
    }
  });
});

describe('qiot monitor in a terminal', () => {
  it('quits on q with exit 0', async () => {
    const board = await launchPosixBoard();
    try {
      const r = qiotInTerminal(['monitor', '--port', board.port], [['connected to posix', 'q']]);
      expect(r.stdout).toMatch(/connected to posix/);
      expect(r.status).toBe(0);
    } finally {
      await board.stop();
    }
  }, 300_000);
});
