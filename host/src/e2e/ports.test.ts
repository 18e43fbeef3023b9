// `qiot emulate --link`, `qiot ports [--probe]` and the default port ($QIOT_PORT,
// qiot.config.json) as a user runs them, in a private runtime directory.
import { existsSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { launchPosixBoard } from '../boards/posix.ts';
import { qiot, scratchDir } from '../../testing/harness.ts';

describe('emulate --link, ports and the default port', { timeout: 240_000 }, () => {
  const scratch = scratchDir();
  afterAll(() => scratch.remove());
  const env = { QIOT_RUNTIME_DIR: join(scratch.dir, 'run'), QIOT_PORT: '' };

  it('an emulator is listed with its link and probed as a qiot board; the user’s terminals are not; the link is the default port', async () => {
    const link = join(scratch.dir, 'board');
    const stranger = await launchPosixBoard(); // a pseudo-terminal no emulator registered: stands for a user's terminal
    const checks: Promise<void>[] = [];
    let port = '';
    try {
      const run = qiot(
        ['emulate', '--link', link],
        (line, child) => {
          const m = /^PORT (\/dev\/pts\/\d+)$/.exec(line);
          if (!m) return;
          port = m[1];
          checks.push(
            (async () => {
              expect(readlinkSync(link)).toBe(port);
              const probed = await qiot(['ports', '--probe', '--json'], undefined, { env });
              expect(probed.code).toBe(0);
              const listing = JSON.parse(probed.stdout);
              expect(listing.emulators).toEqual([expect.objectContaining({ port, link, board: 'posix' })]);
              expect(listing.probe[port]).toMatchObject({ qiot: true, board: 'posix' });
              expect(Object.keys(listing.probe)).not.toContain(stranger.port);
              const text = await qiot(['ports'], undefined, { env });
              expect(text.stdout).toContain(`${port}  emulated posix board (qiot emulate, pid`);
              expect(text.stdout).not.toContain(stranger.port);

              // No --port: QIOT_PORT, then the nearest qiot.config.json (a relative port is relative to the file).
              const viaEnv = await qiot(['info', '--json'], undefined, { env: { ...env, QIOT_PORT: link } });
              expect(viaEnv.code).toBe(0);
              expect(JSON.parse(viaEnv.stdout).port).toBe(link);
              writeFileSync(join(scratch.dir, 'qiot.config.json'), JSON.stringify({ port: 'board' }));
              const viaFile = await qiot(['info', '--json'], undefined, { env, cwd: scratch.dir });
              expect(viaFile.code).toBe(0);
              expect(JSON.parse(viaFile.stdout)).toMatchObject({ board: 'posix', port: link });

              // A second emulator may not take a link a running one owns.
              const taken = await qiot(['emulate', '--link', link], undefined, { env });
              expect(taken.code).toBe(2);
              expect(taken.stderr).toMatch(/--link .*board: in use by the emulator of process \d+/);
            })().finally(() => child.kill('SIGTERM')),
          );
        },
        { env },
      );
      const r = await run;
      await Promise.all(checks);
      expect(r.code).toBe(0);
      expect(port).not.toBe('');
      // Gone with the emulator: the link and the registration.
      expect(existsSync(link)).toBe(false);
      expect(readdirSync(join(env.QIOT_RUNTIME_DIR, 'emulators'))).toEqual([]);
    } finally {
      await stranger.stop();
    }
  });

  it('without --port, QIOT_PORT or a config file a board command exits 2 saying how to give one', async () => {
    for (const command of ['info', 'monitor', 'flash-firmware']) {
      const r = await qiot([command], undefined, { env, cwd: scratch.dir.replace(/[^/]+$/, '') });
      expect(r.code, command).toBe(2);
      expect(r.stderr).toMatch(/no board port: pass --port, set QIOT_PORT, or put \{"port": "\/dev\/ttyUSB0"\} in qiot\.config\.json/);
    }
  });

  it('monitor takes its port from QIOT_PORT', async () => {
    const board = await launchPosixBoard();
    try {
      const shown: string[] = [];
      const r = await qiot(
        ['monitor', '--json'],
        (line, child) => {
          const record = JSON.parse(line) as { text?: string };
          if (record.text) shown.push(record.text);
          if (/^connected to posix/.test(record.text ?? '')) child.kill('SIGTERM');
        },
        { env: { ...env, QIOT_PORT: board.port } },
      );
      expect(r.code).toBe(0);
      expect(shown[0]).toMatch(new RegExp(`^connected to posix.* on ${board.port}$`));
    } finally {
      await board.stop();
    }
  });

  it('--link refuses a path that is a file (exit 2) and leaves it alone', async () => {
    const file = join(scratch.dir, 'notes.txt');
    writeFileSync(file, 'mine');
    const r = await qiot(['emulate', '--link', file], undefined, { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/a file is in the way/);
    expect(existsSync(file)).toBe(true);
  });
});
