// The board under test, from the environment:
//   QIOT_TARGET      posix (default) | rv32 | a serial device path (e.g. /dev/ttyUSB0)
//   QIOT_BAUD        baud rate of a serial device (default 921600)
//   QIOT_TIME_SCALE  multiplier of every timeout for a serial device (default 5)
import { basename } from 'node:path';
import { BASE_MS, DEFAULT_BAUD, TIME_SCALE, UPLOAD_CUT } from './limits.ts';

export type TargetKind = 'posix' | 'rv32' | 'serial';

export interface TargetSpec {
  kind: TargetKind;
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
  if (target === 'posix' || target === 'rv32') {
    if (env.QIOT_TIME_SCALE) throw new TargetSpecError(`QIOT_TIME_SCALE applies to serial devices; ${target} uses its measured multiplier ${TIME_SCALE[target]}`);
    return { kind: target, name: target, baud: DEFAULT_BAUD, timeScale: TIME_SCALE[target], emulated: true };
  }
  if (!target.startsWith('/')) {
    throw new TargetSpecError(`QIOT_TARGET=${target}: expected posix, rv32 or the absolute path of a serial device (e.g. /dev/ttyUSB0)`);
  }
  return {
    kind: 'serial',
    name: basename(target).replace(/[^A-Za-z0-9._-]/g, '_'),
    path: target,
    baud: Math.round(positiveNumber('QIOT_BAUD', env.QIOT_BAUD, DEFAULT_BAUD)),
    timeScale: positiveNumber('QIOT_TIME_SCALE', env.QIOT_TIME_SCALE, TIME_SCALE.serialDefault),
    emulated: false,
  };
}

export const TARGET = targetFromEnv();

/** A base duration (measured on the posix board) scaled for the target under test. */
export const scaled = (baseMs: number): number => Math.round(baseMs * TARGET.timeScale);

export const TEST_TIMEOUT_MS = scaled(BASE_MS.test);
export const HOOK_TIMEOUT_MS = scaled(BASE_MS.hook);

export const uploadCutTrials = (): number => UPLOAD_CUT.trials[TARGET.kind];
