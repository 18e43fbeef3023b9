// `qiot emulate [--board posix] [--state FILE]`: starts an emulated board, prints
// its port and stays in the foreground until Ctrl-C / SIGTERM, then stops it.
import type { Command } from 'commander';
import { boardNamed, emulatedBoards } from '../boards/registry.ts';
import { CliError, EXIT } from './exit-codes.ts';

interface EmulateOptions {
  board: string;
  state?: string;
}

export function register(program: Command): void {
  program
    .command('emulate')
    .description('run an emulated board and print its serial port; Ctrl-C stops it')
    .option('-b, --board <name>', `board to emulate: ${emulatedNames()}`, 'posix')
    .option('-s, --state <file>', 'keep the board’s module store in this file across restarts')
    .addHelpText(
      'after',
      `
Boards:
${emulatedBoards()
  .map((board) => `  ${board.name.padEnd(6)} ${board.describe}`)
  .join('\n')}

Example:
  qiot emulate --state build/board.state      # prints: PORT /dev/pts/N
  qiot flash build/qiot.wasm --port /dev/pts/N`,
    )
    .action(async (opts: EmulateOptions) => {
      const launch = boardNamed(opts.board)?.launch;
      if (!launch) throw new CliError(`unknown board '${opts.board}'; choose from ${emulatedNames()}`, EXIT.usage);
      const board = await launch({ state: opts.state });
      process.stdout.write(`PORT ${board.port}\n`);
      process.stderr.write(
        `qiot: ${opts.board} board running on ${board.port}${opts.state ? ` (state in ${opts.state})` : ''}; Ctrl-C to stop\n`,
      );
      const signalled = await new Promise<NodeJS.Signals | null>((resolve) => {
        const onSignal = (signal: NodeJS.Signals) => resolve(signal);
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        board.exited.then(() => resolve(null));
      });
      await board.stop();
      if (signalled === null) {
        const code = await board.exited;
        throw new CliError(`the ${opts.board} board exited on its own (code ${code})\n${board.log()}`, EXIT.failed);
      }
      process.stderr.write(`qiot: ${opts.board} board stopped\n`);
    });
}

const emulatedNames = () =>
  emulatedBoards()
    .map((board) => board.name)
    .join(', ');
