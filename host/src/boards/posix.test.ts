// launchPosixBoard's failure paths: a clear error, and no board process left behind.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { BoardLaunchError } from './board.ts';
import { launchPosixBoard } from './posix.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'qiot-emulators-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

it('a binary that does not print its PORT line is refused and killed', async () => {
  const pidFile = join(dir, 'pid');
  const binary = join(dir, 'not-a-board');
  writeFileSync(binary, `#!/bin/sh\necho $$ > ${pidFile}\necho hello\nexec sleep 60\n`);
  chmodSync(binary, 0o755);

  await expect(launchPosixBoard({ firmware: binary })).rejects.toThrow(
    new BoardLaunchError(`${binary} printed 'hello' instead of 'PORT <path>'`),
  );
  const pid = Number(readFileSync(pidFile, 'utf8'));
  await expect.poll(() => alive(pid), { timeout: 5000 }).toBe(false);
});

it('a missing binary names the make target', async () => {
  await expect(launchPosixBoard({ firmware: join(dir, 'absent') })).rejects.toThrow(/not found: build it with `make firmware`/);
});
