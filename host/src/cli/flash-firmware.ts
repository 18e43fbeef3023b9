// qiot-command: 130 flash-firmware — write the ESP-IDF build of the qiot firmware to a real ESP32 board with esptool (run idf.py build first)
// `qiot flash-firmware --port P`: writes the ESP-IDF build of firmware/ports/esp32
// (bootloader, partition table, app, as listed in flasher_args.json) to a real board
// with Espressif's esptool. It builds nothing: run `idf.py build` first.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { ensureEsptool, esptoolFailureReason, isConnectFailure, runEsptool } from '../realboard/esptool.ts';
import { esptoolArguments, FlashFirmwareError, readFlashPlan } from '../realboard/flasher-args.ts';
import { ESPTOOL } from '../realboard/limits.ts';
import { addBoardPortOption, parseBaud, portOf } from './port-options.ts';
import { CliError, EXIT } from './exit-codes.ts';

const CHIPS = ['esp32', 'esp32s3', 'esp32c3'] as const;

export interface FlashFirmwareOptions {
  port: string;
  chip?: string;
  buildDir: string;
  baud: number;
}

export async function flashFirmware(opts: FlashFirmwareOptions, log: (line: string) => void): Promise<void> {
  try {
    const plan = readFlashPlan(opts.buildDir);
    const args = esptoolArguments(plan, { port: opts.port, chip: opts.chip, baud: opts.baud });
    const esptool = ensureEsptool(log);
    log(`esptool ${args.join(' ')}`);
    const result = await runEsptool(esptool, args);
    if (result.exitCode === 0) return;
    const why = esptoolFailureReason(result.tail);
    if (isConnectFailure(result.tail)) {
      throw new CliError(`esptool could not reach a chip on ${opts.port}: ${why} (docs/boards.md, "Troubleshooting")`, EXIT.device);
    }
    throw new CliError(`esptool failed (exit ${result.exitCode}): ${why}`, EXIT.failed);
  } catch (err) {
    if (err instanceof FlashFirmwareError) throw new CliError(err.message, EXIT.usage);
    throw err;
  }
}

function parseChip(value: string): string {
  if (!(CHIPS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${CHIPS.join(', ')}`);
  }
  return value;
}

export function register(program: Command): void {
  addBoardPortOption(
    program
      .command('flash-firmware')
      .description('write the ESP-IDF build of the qiot firmware to a real ESP32 board with esptool (run idf.py build first)'),
  )
    .option('--chip <chip>', `target chip (${CHIPS.join(', ')}); default: the chip the build was made for`, parseChip)
    .option('--build-dir <dir>', 'ESP-IDF build directory holding flasher_args.json', 'firmware/ports/esp32/build')
    .option('--baud <rate>', 'flashing baud rate', parseBaud, ESPTOOL.flashBaud)
    // -b was --baud here but --board elsewhere; it is now --board only (docs/cli.md).
    .addOption(new Option('-b <value>').hideHelp())
    .addHelpText(
      'after',
      `\nesptool ${ESPTOOL.version} is installed from PyPI into build/${ESPTOOL.venvDir} on first use.\n` +
        'Example:\n  qiot flash-firmware --port /dev/ttyUSB0 --chip esp32c3\n\n' +
        'Exit codes: 0 written, 1 esptool failed, 2 bad usage or build directory, 3 no chip answered on the port.',
    )
    .action(async (opts: Omit<FlashFirmwareOptions, 'port'> & { port?: string; b?: string }) => {
      if (opts.b !== undefined) {
        throw new CliError('-b is --board in every qiot command; the flashing baud rate is --baud (e.g. --baud 921600)', EXIT.usage);
      }
      const port = portOf(opts);
      await flashFirmware({ ...opts, port }, (line) => process.stderr.write(`qiot: ${line}\n`));
      process.stderr.write(`qiot: firmware written to ${port}; the board restarts into it\n`);
    });
}
