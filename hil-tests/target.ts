// The board under test, from the environment:
//   QIOT_TARGET      an emulated board of the registry (posix, the default; rv32) or a serial
//                    device path (e.g. /dev/ttyUSB0)
//   QIOT_BAUD        baud rate of a serial device (default 921600)
//   QIOT_TIME_SCALE  multiplier of every timeout for a serial device (default 5)
//   QIOT_TARGET=fleet with QIOT_FLEET_BOARD=<id> (and QIOT_FLEET_BOARD_KIND, its INFO board name): one
//                    board of a gateway, over the MQTT broker of QIOT_BROKER (hil-tests/fleet-run.ts
//                    sets these for every board it runs the suite on, in parallel)
// Everything per board (launch, time scale, upload window, trials) comes from the host's
// board registry (host/src/boards/registry.ts).
import { basename } from 'node:path';
import type { BoardDefinition } from '../host/src/boards/board.ts';
import { boardNamed, boardReporting, emulatedBoards } from '../host/src/boards/registry.ts';
import { serialBoard } from '../host/src/boards/serial.ts';
import { BASE_MS, FLEET_HIL } from './limits.ts';

/** What the suite can do to the board besides commands (capabilities.ts says which tests need which). */
export const CAPABILITIES = ['frames', 'linkDrop', 'partialUpload', 'provision'] as const;
export type Capability = (typeof CAPABILITIES)[number];

export interface TargetSpec {
  board: BoardDefinition;
  /** The board's registry name (posix, rv32, serial); a fleet board's too. */
  kind: string;
  /** posix, rv32, the device's file name (ttyUSB0), or fleet-<board id>: names the JUnit file. */
  name: string;
  /** The serial device (kind 'serial' only). */
  path?: string;
  /** The board's id on the broker (fleet targets only). */
  fleetId?: string;
  baud: number;
  timeScale: number;
  /** Emulated boards can be power-cut (process killed) and relaunched on the same store. */
  emulated: boolean;
  capabilities: ReadonlySet<Capability>;
}

/** A board on this host's own link has every capability; one behind a gateway none: the fleet's ops (docs/fleet.md)
 *  carry the board's commands, CONFIRM and ROLLBACK included, but no frames, link drops, cut uploads or PROVISION. */
const DIRECT = new Set<Capability>(CAPABILITIES);
const FLEET = new Set<Capability>();

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

/** One board of a gateway: its own board's time scale (a real board's when the name is not in the registry) × the MQTT detour. */
function fleetTarget(env: NodeJS.ProcessEnv): TargetSpec {
  const id = env.QIOT_FLEET_BOARD?.trim();
  if (!id)
    throw new TargetSpecError(
      'QIOT_TARGET=fleet runs on every board of the broker through hil-tests/fleet-run.ts (`make hil QIOT_TARGET=fleet`), which sets QIOT_FLEET_BOARD for each',
    );
  const reported = env.QIOT_FLEET_BOARD_KIND?.trim() ?? '';
  const board = boardReporting(reported) ?? boardNamed(reported) ?? serialBoard;
  return {
    board,
    kind: board.name,
    name: `fleet-${id}`,
    fleetId: id,
    baud: serialBoard.defaultBaud,
    timeScale: positiveNumber('QIOT_TIME_SCALE', env.QIOT_TIME_SCALE, board.timeScale * FLEET_HIL.timeScale),
    emulated: false,
    capabilities: FLEET,
  };
}

export function targetFromEnv(env: NodeJS.ProcessEnv = process.env): TargetSpec {
  const target = env.QIOT_TARGET?.trim() || 'posix';
  if (target === 'fleet') return fleetTarget(env);
  const board = boardNamed(target);
  if (board?.launch) {
    if (env.QIOT_TIME_SCALE)
      throw new TargetSpecError(`QIOT_TIME_SCALE applies to serial devices; ${target} uses its measured multiplier ${board.timeScale}`);
    return {
      board,
      kind: board.name,
      name: board.name,
      baud: serialBoard.defaultBaud,
      timeScale: board.timeScale,
      emulated: true,
      capabilities: DIRECT,
    };
  }
  if (!target.startsWith('/')) {
    const names = emulatedBoards()
      .map((b) => b.name)
      .join(', ');
    throw new TargetSpecError(
      `QIOT_TARGET=${target}: expected ${names}, fleet (every board of a gateway) or the absolute path of a serial device (e.g. /dev/ttyUSB0)`,
    );
  }
  return {
    board: serialBoard,
    kind: serialBoard.name,
    name: basename(target).replace(/[^A-Za-z0-9._-]/g, '_'),
    path: target,
    baud: Math.round(positiveNumber('QIOT_BAUD', env.QIOT_BAUD, serialBoard.defaultBaud)),
    timeScale: positiveNumber('QIOT_TIME_SCALE', env.QIOT_TIME_SCALE, serialBoard.timeScale),
    emulated: false,
    capabilities: DIRECT,
  };
}

export const TARGET = targetFromEnv();

/** A base duration (measured on the posix board) scaled for the target under test. */
export const scaled = (baseMs: number): number => Math.round(baseMs * TARGET.timeScale);

export const TEST_TIMEOUT_MS = scaled(BASE_MS.test);
export const HOOK_TIMEOUT_MS = scaled(BASE_MS.hook);

export const uploadCutTrials = (): number => TARGET.board.uploadCutTrials;
