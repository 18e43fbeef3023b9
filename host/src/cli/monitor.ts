// qiot-command: 60 monitor — show the telemetry, log and error frames a board sends, with timestamps; waits for the board when it restarts
// `qiot monitor --port P`: what a board sends on its own (TELEMETRY, LOG, ERROR, DONE),
// timestamped, coloured on a terminal, or one JSON object per line (--json); --filter
// picks records. When the board goes away (restart, emulator restarted) it waits for it
// to come back on the same path. Keys on a terminal: Ctrl-] (or q, Ctrl-C) quits,
// Ctrl-T Ctrl-R resets the board.
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Command } from 'commander';
import { DeviceClient } from '../device/client.ts';
import { FileError, isErrnoError } from '../file-errors.ts';
import { parseFilter } from '../monitor/filter.ts';
import { jsonLine, type MonitorRecord, textLine, wantsColour } from '../monitor/records.ts';
import { MonitorSession } from '../monitor/session.ts';
import { CliError, EXIT } from './exit-codes.ts';
import { addKeyOption, keyConnectOptions, type KeyOptionValues } from './key-option.ts';
import { addBoardPortOption, parseBaud, portOf } from './port-options.ts';
import { listenRawKeys, type RawKeys } from './raw-keys.ts';

interface MonitorOptions extends KeyOptionValues {
  port?: string;
  log?: string;
  baud?: number;
  json?: boolean;
  filter: string[];
  color?: boolean;
}

const KEYS = { quit: '\u001d', interrupt: '\u0003', menu: '\u0014', reset: '\u0012' } as const;

export function register(program: Command): void {
  addKeyOption(
    addBoardPortOption(
      program
        .command('monitor')
        .description('show the telemetry, log and error frames a board sends, with timestamps; waits for the board when it restarts'),
    )
      .option('-l, --log <file>', 'also append every shown line to this file')
      .option('--baud <rate>', 'UART baud rate of a real board (pseudo-terminals ignore it)', parseBaud)
      .option('--json', 'one JSON object per line: {"time","kind", …decoded fields}')
      .option(
        '-f, --filter <terms>',
        'show only: a kind (telemetry, log, error, done), log:LEVEL (that level or worse), /REGEX/ (matching lines); comma-separated, repeatable',
        (value: string, previous: string[]) => [...previous, value],
        [] as string[],
      )
      .option('--no-color', 'no colours (also when NO_COLOR is set or the output is not a terminal)'),
    'authenticates the reset key on a provisioned board',
  )
    .addHelpText(
      'after',
      `
Keys (when stdin is a terminal): Ctrl-] quit (also q or Ctrl-C), Ctrl-T Ctrl-R reset the board.
Examples:
  qiot monitor --port /dev/ttyUSB0
  qiot monitor --port /dev/pts/3 --filter done,error --filter '/phase -/' --json

Exit codes: 0 quit, 2 bad usage or the --log file cannot be written, 3 board unreachable or port held by another program.`,
    )
    .action((opts: MonitorOptions) => monitor(opts));
}

/** --log: opened before the port, so a bad path fails at once and holds nothing. */
function openLog(path: string): number {
  try {
    return openSync(path, 'a');
  } catch (err) {
    throw isErrnoError(err) ? new FileError(path, 'open', err) : err;
  }
}

async function monitor(opts: MonitorOptions): Promise<void> {
  const port = portOf(opts);
  const filter = parseFilter(opts.filter);
  const colour = !opts.json && opts.color !== false && wantsColour(process.stdout);
  const logFd = opts.log !== undefined ? openLog(opts.log) : null;
  const write = (record: MonitorRecord) => {
    const line = opts.json ? jsonLine(record) : textLine(record, false);
    process.stdout.write(`${colour ? textLine(record, true) : line}\n`);
    if (logFd !== null) {
      try {
        writeSync(logFd, `${line}\n`);
      } catch (err) {
        throw isErrnoError(err) ? new FileError(opts.log!, 'write', err) : err;
      }
    }
  };
  const session = new MonitorSession({
    port,
    // Never reset the board on connect: the point is to watch what it is doing.
    open: (timeoutMs, signal) =>
      DeviceClient.open(port, { baudRate: opts.baud, reset: 'none', timeoutMs, signal, ...keyConnectOptions(opts) }),
    write,
    filter,
  });
  // Quit (a key, Ctrl-C, SIGTERM) also while connecting: the attempt is given up at once.
  const quit = () => session.quit();
  process.on('SIGINT', quit);
  process.on('SIGTERM', quit);
  // Raw keys from before the port is opened, so keys typed while connecting reach the
  // monitor, not the line discipline; the terminal is restored on every way out (finally).
  const keys = listenForKeys(session, opts);
  try {
    if (!(await session.start())) return;
    const outcome = await session.run();
    if (outcome.ended === 'output-error') {
      process.stderr.write(`qiot: ${outcome.error.message}; stopped monitoring (the port is released)\n`);
      process.exitCode = outcome.error instanceof FileError ? EXIT.usage : EXIT.failed;
    }
  } catch (err) {
    if (err instanceof FileError) throw new CliError(err.message, EXIT.usage);
    throw err;
  } finally {
    process.off('SIGINT', quit);
    process.off('SIGTERM', quit);
    keys?.stop();
    if (logFd !== null) closeSync(logFd);
  }
}

/** The monitor's keys, in raw mode from now until stop(); null when stdin is not a terminal. */
function listenForKeys(session: MonitorSession, opts: MonitorOptions): RawKeys | null {
  let menu = false;
  const keys = listenRawKeys((key) => {
    if (menu) {
      menu = false;
      if (key === KEYS.reset || key === 'r' || key === 'R') void session.reset();
      else if (key === KEYS.quit || key === 'x' || key === 'X') session.quit();
      return;
    }
    if (key === KEYS.menu) menu = true;
    else if (key === KEYS.quit || key === KEYS.interrupt || key === 'q' || key === 'Q') session.quit();
  });
  if (keys && !opts.json) process.stderr.write('qiot: Ctrl-] quit · Ctrl-T Ctrl-R reset the board\n');
  return keys;
}
