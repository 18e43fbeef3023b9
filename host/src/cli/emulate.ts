// qiot-command: 30 emulate — run an emulated board and print its serial port; Ctrl-C stops it
// `qiot emulate [--board posix] [--state FILE] [--link PATH]`: starts an emulated board,
// prints its port and stays in the foreground until Ctrl-C / SIGTERM, then stops it.
// While it runs it is registered for `qiot ports` (boards/emulator-registry.ts).
import { lstatSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { boardNamed, emulatedBoards } from '../boards/registry.ts';
import { listEmulators, registerEmulator } from '../boards/emulator-registry.ts';
import { CliError, EXIT } from './exit-codes.ts';

interface EmulateOptions {
  board: string;
  state?: string;
  link?: string;
}

export function register(program: Command): void {
  program
    .command('emulate')
    .description('run an emulated board and print its serial port; Ctrl-C stops it')
    .option('-b, --board <name>', `board to emulate: ${emulatedNames()}`, 'posix')
    .option('-s, --state <file>', 'keep the board’s module store in this file across restarts')
    .option('--link <path>', 'also make PATH a symlink to the port (a stable name across restarts), removed on exit')
    .addHelpText(
      'after',
      `
Boards:
${emulatedBoards()
  .map((board) => `  ${board.name.padEnd(6)} ${board.describe}`)
  .join('\n')}

--link replaces a symlink left by an emulator that is gone, never a file or a running emulator's link.

Example:
  qiot emulate --state build/board.state --link build/board   # prints: PORT /dev/pts/N
  qiot flash build/qiot.wasm --port build/board

Exit codes: 0 stopped by Ctrl-C/SIGTERM, 1 the board failed to start or exited on its own, 2 bad usage (unknown board, --link path taken).`,
    )
    .action(async (opts: EmulateOptions) => {
      const launch = boardNamed(opts.board)?.launch;
      if (!launch) throw new CliError(`unknown board '${opts.board}'; choose from ${emulatedNames()}`, EXIT.usage);
      const link = opts.link ? resolve(opts.link) : undefined;
      if (link) checkLinkFree(link);
      const board = await launch({ state: opts.state });
      let unregister: () => void = () => undefined;
      try {
        if (link) {
          rmSync(link, { force: true });
          symlinkSync(board.port, link);
        }
        unregister = registerEmulator({ port: board.port, link, board: opts.board, pid: process.pid, started: new Date().toISOString() });
        process.stdout.write(`PORT ${board.port}\n`);
        process.stderr.write(
          `qiot: ${opts.board} board running on ${board.port}${link ? ` (link ${link})` : ''}${opts.state ? ` (state in ${opts.state})` : ''}; Ctrl-C to stop\n`,
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
      } finally {
        unregister();
        if (link && linkTarget(link) === board.port) rmSync(link, { force: true });
        await board.stop();
      }
    });
}

function linkTarget(path: string): string | null {
  try {
    return readlinkSync(path);
  } catch {
    return null;
  }
}

/** --link may replace only a symlink no running emulator owns. */
function checkLinkFree(link: string): void {
  let isLink: boolean;
  try {
    isLink = lstatSync(link).isSymbolicLink();
  } catch {
    return; // nothing there
  }
  if (!isLink) throw new CliError(`--link ${link}: a file is in the way (not a symlink); choose another path`, EXIT.usage);
  const owner = listEmulators().find((e) => e.link === link);
  if (owner) throw new CliError(`--link ${link}: in use by the emulator of process ${owner.pid} (port ${owner.port})`, EXIT.usage);
}

const emulatedNames = () =>
  emulatedBoards()
    .map((board) => board.name)
    .join(', ');
