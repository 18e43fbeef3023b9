// Command-line options of every command that talks to a board over a port:
// the UART baud rate of a real board and --no-reset.
import { InvalidArgumentError, type Command } from 'commander';
import type { BoardPortOptions } from '../realboard/board-port.ts';
import { REAL_BOARD } from '../realboard/limits.ts';

export interface PortOptionValues {
  baud?: number;
  /** commander's --no-reset: false when given. */
  reset?: boolean;
}

/** A baud rate option value; commander reports the error as a usage error (exit 2). */
export function parseBaud(value: string): number {
  const baud = Number(value);
  if (!Number.isInteger(baud) || baud < 9600 || baud > 3_000_000) {
    throw new InvalidArgumentError('expected an integer from 9600 to 3000000');
  }
  return baud;
}

export function addPortOptions(cmd: Command): Command {
  return cmd
    .option(
      '--baud <rate>',
      `UART baud rate of a real board (default ${REAL_BOARD.baudRate}, the firmware's CONFIG_QIOT_UART_BAUD; pseudo-terminals ignore it)`,
      parseBaud,
    )
    .option('--no-reset', 'do not restart a real board through DTR/RTS before connecting (e.g. to watch a run in progress)');
}

export function boardPortOptions(
  values: PortOptionValues,
  warn: (message: string) => void = (m) => process.stderr.write(`qiot: ${m}\n`),
): BoardPortOptions {
  return { baudRate: values.baud, reset: values.reset === false ? 'none' : undefined, onWarning: warn };
}
