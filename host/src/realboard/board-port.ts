// Opening the serial port of a board: at the firmware's baud rate, after restarting
// a real chip through DTR/RTS the way esptool does (pseudo-terminals — the emulated
// boards — have no such lines and are left alone). Whatever the board prints before
// its firmware speaks frames (the ESP ROM banner) is ignored by the frame decoder;
// its readable part is kept here so a board that never answers can be explained.
import { realpathSync } from 'node:fs';
import { SerialPort } from 'serialport';
import { wrapSerialPort } from '../transport/serial.ts';
import type { Transport } from '../transport/transport.ts';
import { BootTextLog, describeBootText } from './boot-text.ts';
import { REAL_BOARD } from './limits.ts';
import { runResetSequence, serialPortLines, type ResetMode } from './reset.ts';

export interface BoardPortOptions {
  /** Default: the firmware's rate (REAL_BOARD.baudRate); pseudo-terminals ignore it. */
  baudRate?: number;
  /** 'esptool' restarts the chip first, 'none' talks to it as it is (--no-reset).
   *  Default: 'esptool' on serial devices, 'none' on pseudo-terminals. */
  reset?: ResetMode;
  /** Told when a requested reset could not be done. */
  onWarning?: (message: string) => void;
}

export interface BoardPort {
  transport: Transport;
  /** What the board printed outside frames since the port opened, as one sentence. */
  describeSilence(): string;
  /** Stops keeping boot text (call once the board has answered). */
  stopCollecting(): void;
}

/** Linux /dev/pts/N and macOS /dev/ttysNNN: the emulated boards' pseudo-terminals. */
export function isPseudoTerminal(path: string): boolean {
  let real = path;
  try {
    real = realpathSync(path);
  } catch {
    // A path that does not resolve is opened (and refused) by serialport below.
  }
  return /^\/dev\/pts\/\d+$/.test(real) || /^\/dev\/ttys\d+$/.test(real);
}

/** Opens and (if asked or by default on a real port) resets; throws PortOpenError when the
 *  port cannot be opened, and the driver's error when setting the lines fails. */
export async function openBoardPort(path: string, opts: BoardPortOptions = {}): Promise<BoardPort> {
  const reset = opts.reset ?? (isPseudoTerminal(path) ? 'none' : 'esptool');
  const port = new SerialPort({ path, baudRate: opts.baudRate ?? REAL_BOARD.baudRate, autoOpen: false });
  const transport = await wrapSerialPort(port);
  const bootText = new BootTextLog();
  let collecting = true;
  transport.onData((chunk) => collecting && bootText.push(chunk));
  if (reset === 'esptool') {
    try {
      const outcome = await runResetSequence(serialPortLines(port));
      if (!outcome.reset) opts.onWarning?.(`board on ${path} not reset: ${outcome.reason}; talking to it as it is`);
    } catch (err) {
      await transport.close().catch(() => undefined);
      throw err;
    }
  }
  return {
    transport,
    describeSilence: () => describeBootText(bootText),
    stopCollecting: () => {
      collecting = false;
    },
  };
}
