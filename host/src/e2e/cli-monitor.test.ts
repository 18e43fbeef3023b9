// `qiot monitor` as a user runs it, against the real posix board: a port held by
// another program, reconnecting after the emulator restarts, --json, --filter, a
// --log that cannot be written, and the reset and exit keys in a real terminal.
import { renameSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { launchPosixBoard, type PosixBoard } from '../boards/posix.ts';
import { encodeConfig } from '../config/encode.ts';
import { loadConfig } from '../config/load.ts';
import { loadDataset } from '../data/load.ts';
import { packDataset } from '../data/pack.ts';
import { DeviceClient } from '../device/client.ts';
import { qiot, readModule, REPO, scratchDir } from '../../testing/harness.ts';
import { qiotInTerminal, shellInTerminal } from '../../testing/terminal.ts';
import { openPtyPair } from '../../testing/pty-pair.ts';

/** A host starts an open-ended run (drop-oldest telemetry) and goes away; the board keeps training. */
async function leaveTraining(board: PosixBoard): Promise<void> {
  const client = await DeviceClient.open(board.port);
  try {
    await client.upload(readModule());
    const cfg = loadConfig(join(REPO, 'examples/iris-nlr.json'));
    const dataset = loadDataset(cfg)!;
    await client.configure(encodeConfig(cfg, dataset), packDataset(dataset));
    await client.train(0, { onTelemetry: () => undefined }, { telemetry: 'drop-oldest' });
  } finally {
    await client.close();
  }
}

describe('qiot monitor', () => {
  it('names the process holding the port and exits 3', async () => {
    const board = await launchPosixBoard();
    const holder = await DeviceClient.open(board.port);
    try {
      const r = await qiot(['monitor', '--port', board.port]);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(`${board.port} is in use by pid ${process.pid} (`);
      expect(r.stderr).not.toMatch(/Cannot lock port/);
    } finally {
      await holder.close();
      await board.stop();
    }
  });

  it('waits for the board when the emulator restarts and reconnects on the same path', async () => {
    const scratch = scratchDir();
    const link = join(scratch.dir, 'board');
    const first = await launchPosixBoard();
    let second: PosixBoard | null = null;
    symlinkSync(first.port, link);
    try {
      const lines: string[] = [];
      const r = await qiot(['monitor', '--port', link, '--json'], (line, child) => {
        const record = JSON.parse(line) as { kind: string; text: string };
        lines.push(record.text);
        if (/^connected to posix/.test(record.text)) {
          // The new board is up and the link re-pointed before the old one stops, so the
          // path never names someone else's pseudo-terminal.
          void launchPosixBoard().then((b) => {
            second = b;
            const next = `${link}.next`;
            symlinkSync(b.port, next);
            renameSync(next, link);
            void first.stop();
          });
        }
        if (/^reconnected to posix/.test(record.text)) child.kill('SIGINT');
      });
      expect(r.code).toBe(0);
      expect(lines[0]).toMatch(/^connected to posix \(firmware [\d.]+\) on /);
      expect(lines.some((l) => /^link lost: .*; waiting for the board on /.test(l))).toBe(true);
      expect(lines.at(-1)).toMatch(/^reconnected to posix/);
    } finally {
      await first.stop();
      await (second as PosixBoard | null)?.stop();
      scratch.remove();
    }
  });

  it('--json and --filter: only the chosen records, one JSON object per line', async () => {
    const board = await launchPosixBoard();
    try {
      await leaveTraining(board);
      const records: { kind: string; step?: number; phase?: string; loss?: number }[] = [];
      const r = await qiot(
        ['monitor', '--port', board.port, '--json', '--filter', 'telemetry', '--filter', '/step \\d*[02468] /'],
        (line, child) => {
          records.push(JSON.parse(line));
          if (records.filter((x) => x.kind === 'telemetry').length === 4) child.kill('SIGINT');
        },
      );
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(records[0].kind).toBe('link');
      const telemetry = records.filter((x) => x.kind === 'telemetry');
      expect(telemetry.length).toBeGreaterThanOrEqual(4);
      expect(records.every((x) => x.kind === 'link' || x.kind === 'telemetry')).toBe(true);
      const steps = telemetry.map((x) => x.step!);
      // Only even steps, and every even step in between (the board sends all of them).
      expect(steps.every((s) => s % 2 === 0)).toBe(true);
      expect(steps.slice(1)).toEqual(steps.slice(1).map((_, i) => steps[0] + 2 * (i + 1)));
      expect(telemetry.every((x) => (x.phase === '+' || x.phase === '-') && typeof x.loss === 'number')).toBe(true);
      // Piped output carries no colour codes.
      expect(r.stdout).not.toContain('\u001b[');
    } finally {
      await board.stop();
    }
  });

  it('a --log that cannot be written ends the monitor with exit 2 and releases the port', async () => {
    const board = await launchPosixBoard();
    try {
      const r = await qiot(['monitor', '--port', board.port, '--log', '/dev/full']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('cannot write /dev/full: no space left on the device (ENOSPC)');
      const again = await DeviceClient.open(board.port); // the port is free again
      await again.close();
      const dir = await qiot(['monitor', '--port', board.port, '--log', '/proc']);
      expect(dir.code).toBe(2);
      expect(dir.stderr).toMatch(/^qiot: cannot open \/proc: is a directory \(EISDIR\)\n$/);
    } finally {
      await board.stop();
    }
  });
});

describe('qiot monitor in a terminal', () => {
  it('Ctrl-T Ctrl-R resets the board, Ctrl-] quits with exit 0; lines are coloured', async () => {
    const board = await launchPosixBoard();
    try {
      const r = qiotInTerminal(
        ['monitor', '--port', board.port],
        [
          // The terminal is raw from before the port is opened (the key hint says so); the
          // reset keys wait for the board to be connected.
          ['Ctrl-R reset the board', ''],
          ['connected to posix', '\x14\x12'],
          ['board restarted', '\x1d'],
        ],
      );
      expect(r.stdout).toMatch(/connected to posix/);
      expect(r.stdout).toMatch(/resetting the board on /);
      expect(r.stdout).toMatch(/board restarted: connected to posix/);
      expect(r.stdout).toContain('\u001b[36m'); // link events in cyan
      expect(r.status).toBe(0);
    } finally {
      await board.stop();
    }
  }, 300_000);

  it('keys work while connecting, and every way out restores the terminal (port held: exit 3; quit while connecting: exit 0)', async () => {
    const held = await launchPosixBoard();
    const holder = await DeviceClient.open(held.port);
    // A port where no board answers (one end of a socat pty pair, the other end unread):
    // the monitor stays in its handshake until a key quits it.
    const silent = await openPtyPair();
    try {
      const r = shellInTerminal(
        `qiot monitor --port ${held.port}; echo "[exit $?]"; stty -a; qiot monitor --port ${silent.host}; echo "[exit $?]"; stty -a`,
        [
          ['[exit 3]', ''],
          // The second monitor: its key hint is printed before it opens the port.
          ['Ctrl-] quit', '\x1d'],
        ],
      );
      expect(r.status, r.stdout).toBe(0);
      const [first, second] = r.stdout.split(/\[exit \d+\]/).slice(1);
      expect(r.stdout).toContain(`${held.port} is in use by pid ${process.pid}`);
      expect(r.stdout).toMatch(/\[exit 3\][\s\S]*\[exit 0\]/);
      // Ctrl-] reached the monitor, not the line discipline (which would echo ^]), and it
      // quit during the handshake (no "no answer" after 5 s).
      expect(r.stdout).not.toContain('^]');
      expect(r.stdout).not.toMatch(/no answer from/);
      expect(r.stdout).not.toMatch(/connected to posix/);
      // stty -a after each: the terminal is back in cooked mode with echo.
      for (const stty of [first, second]) {
        expect(stty).toMatch(/(^|\s)icanon\s/);
        expect(stty).toMatch(/(^|\s)echo\s/);
        expect(stty).toMatch(/(^|\s)isig\s/);
      }
    } finally {
      silent.close();
      await holder.close();
      await held.stop();
    }
  }, 300_000);
});
