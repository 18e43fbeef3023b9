// qiot-command: 90 stop — stop the run a board is training (TRAIN_STOP); the board stays up and keeps θ as the run left it
// `qiot stop [--port P]`: stops the run a board is training on its own (TRAIN_STOP),
// e.g. after the host that started it went away. θ stays as the run left it.
import type { Command } from 'commander';
import { CLIENT } from '../device/limits.ts';
import { BoardState, boardStateName, doneStatusName } from '../protocol/constants.ts';
import { type BoardCommandOptions, nextDone, withBoard } from './board-session.ts';
import { CliError, EXIT } from './exit-codes.ts';
import { addKeyOption } from './key-option.ts';
import { addPortOptions } from './port-options.ts';

interface StopOptions extends BoardCommandOptions {
  json?: boolean;
}

export function register(program: Command): void {
  addKeyOption(addPortOptions(program.command('stop')))
    .description('stop the run a board is training (TRAIN_STOP); the board stays up and keeps θ as the run left it')
    .option('--json', 'print one JSON object {port, board, was, steps, status}')
    .addHelpText(
      'after',
      `
The board is not restarted. A board that is not training is left alone (exit 0).
A provisioned board needs --key. Then: qiot params get (θ), qiot train (a new run).
Exit codes: 0 stopped or nothing to stop, 1 the board refused or still trains, 2 bad usage or no port, 3 board unreachable.`,
    )
    .action(async (opts: StopOptions) => {
      const result = await withBoard(opts, async (client, port) => {
        const before = await client.status();
        const base = { port, board: client.info.boardName, was: boardStateName(before.state) };
        if (before.state !== BoardState.TRAINING && before.state !== BoardState.PAUSED) return { ...base, steps: null, status: null };
        const done = nextDone(client, CLIENT.stopTimeoutMs);
        await client.stop();
        const end = await done;
        const after = await client.status();
        if (after.state === BoardState.TRAINING || after.state === BoardState.PAUSED) {
          throw new CliError(`the board on ${port} still reports ${boardStateName(after.state)} after TRAIN_STOP`, EXIT.failed);
        }
        return { ...base, steps: end?.steps ?? after.step, status: end ? doneStatusName(end.status) : null };
      });
      if (opts.json) process.stdout.write(`${JSON.stringify(result)}\n`);
      else if (result.steps === null) process.stdout.write(`${result.board} on ${result.port} is ${result.was}: nothing to stop\n`);
      else
        process.stdout.write(
          `stopped the run on ${result.board} (${result.port}) after ${result.steps} steps${result.status ? ` (${result.status})` : ''}\n`,
        );
    });
}
