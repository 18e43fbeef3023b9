// qiot-command: 100 reset — restart the firmware of a board (RESET request) and wait until it answers again; the flashed module stays
// `qiot reset [--port P]`: restarts the board's firmware with the RESET request and
// waits until it answers again. The flashed module survives; a run in progress, the
// telemetry ring and θ do not.
import type { Command } from 'commander';
import { type BoardCommandOptions, withBoard } from './board-session.ts';
import { addKeyOption } from './key-option.ts';
import { addPortOptions } from './port-options.ts';

interface ResetOptions extends BoardCommandOptions {
  json?: boolean;
}

export function register(program: Command): void {
  addKeyOption(addPortOptions(program.command('reset')))
    .description('restart the firmware of a board (RESET request) and wait until it answers again; the flashed module stays')
    .option('--json', 'print one JSON object {port, board, firmware_version, seconds}')
    .addHelpText(
      'after',
      `
A run in progress ends without DONE and its θ and telemetry are lost (qiot stop first to keep θ).
A module still on trial (flashed, not yet confirmed) is replaced by the previous one at the restart.
This is the firmware's own restart, also on a real board (no DTR/RTS pulse); a provisioned board needs --key.
Exit codes: 0 reset and answering again, 1 the board refused (e.g. unauthenticated), 2 bad usage or no port, 3 board unreachable or not answering again within the connect timeout (5 seconds).`,
    )
    .action(async (opts: ResetOptions) => {
      const result = await withBoard(opts, async (client, port) => {
        const started = performance.now();
        await client.reset();
        const info = await client.refreshInfo();
        return {
          port,
          board: info.boardName,
          firmware_version: info.firmwareVersion,
          seconds: (performance.now() - started) / 1000,
        };
      });
      process.stdout.write(
        opts.json
          ? `${JSON.stringify(result)}\n`
          : `reset ${result.board} on ${result.port}: answering again (firmware ${result.firmware_version}, ${result.seconds.toFixed(2)} s)\n`,
      );
    });
}
