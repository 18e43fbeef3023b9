// The board under test, from the environment:
//   QIOT_TARGET      an emulated board of the registry (posix, the default; rv32) or a serial
//                    device path (e.g. /dev/ttyUSB0)
//   QIOT_BAUD        baud rate of a serial device (default 921600)
//   QIOT_TIME_SCALE  multiplier of every timeout for a serial device (default 5)
// Everything per board (launch, time scale, upload window, trials) comes from the host's
// board registry (host/src/boards/registry.ts).
import { basename } from 'node:path';
import type { BoardDefinition } from '../host/src/boards/board.ts';
import { boardNamed, emulatedBoards } from '../host/src/boards/registry.ts';
import { serialBoard } from '../host/src/boards/serial.ts';
import { BASE_MS } from './limits.ts';

export interface TargetSpec {
  board: BoardDefinition;
  /** The board's registry name (posix, rv32, serial). */
  kind: string;
  /** posix, rv32, or the device's file name (ttyUSB0): names the JUnit file. */
  name: string;
  /** The serial device (kind 'serial' only). */
  path?: string;
  baud: number;
  timeScale: number;
  /** Emulated boards can be power-cut (process killed) and relaunched on the same store. */
  emulated: boolean;
}

export class TargetSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetSpecError';
  }
}

function positiveNumber(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new TargetSpecError(`${name}=${text}: must be a positive number`);
  return value;
}

export function targetFromEnv(env: NodeJS.ProcessEnv = process.env): TargetSpec {
  const target = env.QIOT_TARGET?.trim() || 'posix';
  const board = boardNamed(target);
  if (board?.launch) {
    if (env.QIOT_TIME_SCALE)
      throw new TargetSpecError(`QIOT_TIME_SCALE applies to serial devices; ${target} uses its measured multiplier ${board.timeScale}`);
    return { board, kind: board.name, name: board.name, baud: serialBoard.defaultBaud, timeScale: board.timeScale, emulated: true };
  }
  if (!target.startsWith('/')) {
    const names = emulatedBoards()
      .map((b) => b.name)
      .join(', ');
    throw new TargetSpecError(`QIOT_TARGET=${target}: expected ${names} or the absolute path of a serial device (e.g. /dev/ttyUSB0)`);
  }
  return {
    board: serialBoard,
    kind: serialBoard.name,
    name: basename(target).replace(/[^A-Za-z0-9._-]/g, '_'),
    path: target,
    baud: Math.round(positiveNumber('QIOT_BAUD', env.QIOT_BAUD, serialBoard.defaultBaud)),
    timeScale: positiveNumber('QIOT_TIME_SCALE', env.QIOT_TIME_SCALE, serialBoard.timeScale),
    emulated: false,
  };
}

export const TARGET = targetFromEnv();

/** A base duration (measured on the posix board) scaled for the target under test. */
export const scaled = (baseMs: number): number => Math.round(baseMs * TARGET.timeScale);

export const TEST_TIMEOUT_MS = scaled(BASE_MS.test);
export const HOOK_TIMEOUT_MS = scaled(BASE_MS.hook);

export const uploadCutTrials = (): number => TARGET.board.uploadCutTrials;
