// Command-line options of every command that talks to a board over a port:
// --port (default $QIOT_PORT or qiot.config.json), the UART baud rate of a real
// board and --no-reset.
import { InvalidArgumentError, type Command } from 'commander';
import { defaultPort, PROJECT_CONFIG_FILE } from '../config/default-port.ts';
import { CliError, EXIT } from './exit-codes.ts';
import type { BoardPortOptions } from '../realboard/board-port.ts';
import { REAL_BOARD } from '../realboard/limits.ts';

export interface PortOptionValues {
  port?: string;
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
  return addBoardPortOption(cmd)
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

/** -p/--port, optional: portOf() falls back to $QIOT_PORT and qiot.config.json. */
export function addBoardPortOption(cmd: Command): Command {
  return cmd.option(
    '-p, --port <path>',
    `serial port or pseudo-terminal of the board (default: $QIOT_PORT, else "port" in the nearest ${PROJECT_CONFIG_FILE})`,
  );
}

/** The board port: --port, else $QIOT_PORT, else the project config's; a usage error (exit 2) if none. */
export function portOf(opts: { port?: string }): string {
  if (opts.port) return opts.port;
  const found = defaultPort();
  if (!found) {
    throw new CliError(
      `no board port: pass --port, set QIOT_PORT, or put {"port": "/dev/ttyUSB0"} in ${PROJECT_CONFIG_FILE} (qiot ports lists them)`,
      EXIT.usage,
    );
  }
  return found.port;
}
