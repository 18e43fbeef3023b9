// qiot-command: 170 gateway — attach local boards to the fleet: status, telemetry and commands through the MQTT broker
// `qiot gateway`: attaches local boards (emulators it launches, serial ports,
// or every port that answers as a qiot board with --auto) to the fleet's broker.
import { mkdirSync } from 'node:fs';
import type { Command } from 'commander';
import { DeviceClient } from '../device/client.ts';
import { emulatedBoards } from '../boards/registry.ts';
import { AttachedBoard, boardId, parseBoardSpecs, type BoardSpec } from '../fleet/gateway.ts';
import { checkId } from '../fleet/topics.ts';
import { CliError, EXIT, exitCodesHelp } from './exit-codes.ts';
import {
  addBrokerOptions,
  BROKER_HELP,
  defaultIdPrefix,
  fleetAction,
  openBroker,
  untilSignal,
  type BrokerOptionValues,
} from './fleet-options.ts';
import { listPorts } from './ports.ts';
import { loadImage } from './sim.ts';

interface GatewayOptions extends BrokerOptionValues {
  board: string[];
  auto?: boolean;
  module?: string;
  idPrefix: string;
  stateDir?: string;
  tag: string[];
}

const PROBE_TIMEOUT_MS = 2_000;

export function register(program: Command): void {
  addBrokerOptions(
    program.command('gateway').description('attach local boards to the fleet: status, telemetry and commands through the MQTT broker'),
  )
    .option(
      '--board <spec...>',
      `boards: ${emulatedBoards()
        .map((b) => `${b.name}:N`)
        .join(' | ')} (emulators this gateway launches) | PORT (serial port or PTY)`,
      [],
    )
    .option('--auto', 'also attach every serial port that answers as a qiot board')
    .option('-m, --module <path>', 'flash this module onto each board whose active module differs')
    .option('--id-prefix <name>', 'board ids are <prefix>-<board>-<i> or <prefix>-<port name> (stable across restarts)', defaultIdPrefix())
    .option('--state-dir <dir>', 'emulated boards keep their module store in <dir>/<id>.state across restarts')
    .option('--tag <tag...>', 'tags shown in `qiot fleet ls` and usable as filters', [])
    .addHelpText(
      'after',
      `
Runs until Ctrl-C (exit 0): boards then go offline and launched emulators are stopped.
Examples:
  qiot gateway --board posix:4 --module build/qiot.wasm
  qiot gateway --broker mqtt://lab-broker:1883 --board /dev/ttyUSB0 /dev/ttyUSB1 --id-prefix bench2
${BROKER_HELP}`,
    )
    .addHelpText(
      'after',
      exitCodesHelp({
        0: 'stopped by Ctrl-C or SIGTERM',
        2: 'bad usage (no boards, a board given twice, a bad --id-prefix), an unreadable or invalid --module, or a bad broker URL or config file',
        3: 'the broker unreachable or refusing the connection',
      }),
    )
    .action(async (opts: GatewayOptions) => {
      process.exitCode = await fleetAction(() => gateway(opts));
    });
}

async function probe(): Promise<BoardSpec[]> {
  const listing = await listPorts();
  if (listing.enumerationError) process.stderr.write(`qiot: --auto: ${listing.enumerationError}\n`);
  const found: BoardSpec[] = [];
  for (const { path } of listing.serial) {
    try {
      const client = await DeviceClient.open(path, { timeoutMs: PROBE_TIMEOUT_MS });
      await client.close();
      found.push({ kind: 'port', path });
    } catch {
      // not a qiot board (or busy): left alone
    }
  }
  process.stderr.write(`qiot: --auto: ${found.length} qiot board(s) among ${listing.serial.length} serial port(s)\n`);
  return found;
}

async function gateway(opts: GatewayOptions): Promise<number> {
  const specs: BoardSpec[] = parseBoardSpecs(opts.board);
  if (opts.auto) specs.push(...(await probe()));
  if (specs.length === 0) throw new CliError('no boards: give --board posix:N, rv32:N or a port, or --auto', EXIT.usage);
  const ids = specs.map((s) => checkId(boardId(opts.idPrefix, s), '--id-prefix'));
  if (new Set(ids).size !== ids.length) throw new CliError(`a board is given twice (${ids.join(', ')})`, EXIT.usage);
  const module = opts.module ? (await loadImage(opts.module)).bytes : undefined;
  if (opts.stateDir) mkdirSync(opts.stateDir, { recursive: true });
  const { settings, embedded } = await openBroker(opts);
  const note = (text: string) => process.stderr.write(`qiot: ${text}\n`);
  const boards = specs.map(
    (spec, i) =>
      new AttachedBoard(ids[i], spec, { settings, idPrefix: opts.idPrefix, tags: opts.tag, module, stateDir: opts.stateDir, note }),
  );
  note(`gateway attaching ${ids.join(', ')}`);
  try {
    await untilSignal();
    return EXIT.ok;
  } finally {
    await Promise.allSettled(boards.map((b) => b.stop()));
    await embedded?.close();
  }
}
