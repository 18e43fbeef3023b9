// Where an installed package builds its posix board, and that a checkout's own build wins.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QIOT_VERSION } from '../version.ts';
import { ensurePosixBoard, firmwareCacheDir, posixBoardIn } from './posix-build.ts';
import { POSIX_BOARD_BINARY } from './posix.ts';

describe('posix board build on first use', () => {
  it('caches under QIOT_CACHE_DIR, else XDG_CACHE_HOME/qiot/<version>, else ~/.cache/qiot/<version>', () => {
    expect(firmwareCacheDir({ QIOT_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x' })).toBe('/c');
    expect(firmwareCacheDir({ XDG_CACHE_HOME: '/x' })).toBe(`/x/qiot/${QIOT_VERSION}`);
    expect(firmwareCacheDir({})).toBe(join(homedir(), '.cache', 'qiot', QIOT_VERSION));
    expect(posixBoardIn('/c')).toBe('/c/firmware/posix/qiot-board');
  });

  it("uses the checkout's make firmware build when it is there, building nothing", () => {
    expect(existsSync(POSIX_BOARD_BINARY)).toBe(true);
    const log: string[] = [];
    expect(ensurePosixBoard(POSIX_BOARD_BINARY, (l) => log.push(l))).toBe(POSIX_BOARD_BINARY);
    expect(log).toEqual([]);
  });
});
