import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scratchDir } from '../../testing/harness.ts';
import { listEmulators, registerEmulator, runtimeDir } from './emulator-registry.ts';

describe('emulator registry', () => {
  const scratch = scratchDir();
  afterAll(() => scratch.remove());
  const env = { QIOT_RUNTIME_DIR: scratch.dir };

  it('lists a registered emulator until it unregisters', () => {
    const entry = { port: '/dev/pts/41', link: '/tmp/board', board: 'posix', pid: process.pid, started: new Date().toISOString() };
    const unregister = registerEmulator(entry, env);
    expect(listEmulators(env)).toEqual([entry]);
    unregister();
    expect(listEmulators(env)).toEqual([]);
  });

  it('drops and deletes the record of a process that is gone, and a torn record', () => {
    // A pid that existed and has exited (reaped), so it is not running.
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    registerEmulator({ port: '/dev/pts/42', board: 'posix', pid: gone, started: '' }, env);
    const live = registerEmulator({ port: '/dev/pts/43', board: 'rv32', pid: process.pid, started: '' }, env);
    writeFileSync(join(scratch.dir, 'emulators', 'torn.json'), '{"port": "/dev/pts/4');
    expect(listEmulators(env).map((e) => e.port)).toEqual(['/dev/pts/43']);
    expect(readdirSync(join(scratch.dir, 'emulators'))).toHaveLength(1);
    live();
  });

  it('lives in QIOT_RUNTIME_DIR, else XDG_RUNTIME_DIR/qiot, else a per-user temp dir', () => {
    expect(runtimeDir({ QIOT_RUNTIME_DIR: '/x' })).toBe('/x');
    expect(runtimeDir({ XDG_RUNTIME_DIR: '/run/user/1000' })).toBe('/run/user/1000/qiot');
    expect(runtimeDir({})).toMatch(/qiot-\d+$/);
  });
});
