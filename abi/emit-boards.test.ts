// make hil's board list follows the registry: every emulated board, each with its firmware target.
import { describe, expect, it } from 'vitest';
import type { BoardDefinition } from '../host/src/boards/board.ts';
import { emulatedBoards } from '../host/src/boards/registry.ts';
import { boardsMakeFragment } from './emit-boards.ts';

const board = (name: string, buildTarget?: string): BoardDefinition => ({
  name,
  describe: '',
  launch: () => Promise.reject(new Error('not launched in this test')),
  buildTarget,
  timeScale: 1,
  uploadWindow: 1,
  uploadCutTrials: 1,
});

describe('hil-tests/boards.generated.mk', () => {
  it('lists every emulated board of the registry with its build target', () => {
    const fragment = boardsMakeFragment();
    expect(fragment).toContain(
      `HIL_BOARDS := ${emulatedBoards()
        .map((b) => b.name)
        .join(' ')}\n`,
    );
    expect(fragment).toContain('HIL_BUILD_posix := firmware\n');
    expect(fragment).toContain('HIL_BUILD_rv32 := firmware-rv32\n');
  });

  it('refuses an emulated board without a build target or with a name make cannot carry', () => {
    expect(() => boardsMakeFragment([board('x86')])).toThrow(/'x86' has no buildTarget/);
    expect(() => boardsMakeFragment([board('my board', 'fw')])).toThrow(/make-safe name/);
  });
});
