// qiot-command: 250 rollback — make the previous module (the other slot) active again
// qiot-command: 260 confirm — end the active module’s trial: a reset no longer reverts it to the previous module
// `qiot rollback --port P` and `qiot confirm --port P`: trial boot (docs/reliability.md).
// A module flashed over another is on trial: a board that resets before it is confirmed
// (qiot confirm, flash --confirm, or its trial steps of training) boots the previous module.
// rollback makes the previous module (the other slot) active again on request.
import type { Command } from 'commander';
import { DeviceClient } from '../device/client.ts';
import { addPortOptions, boardPortOptions, portOf, type PortOptionValues } from './port-options.ts';
import { addKeyOption, keyConnectOptions, type KeyOptionValues } from './key-option.ts';
import { bootText } from './info.ts';

interface BootOptions extends PortOptionValues, KeyOptionValues {
  json?: boolean;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function command(program: Command, name: string, description: string, help: string): Command {
  return addKeyOption(addPortOptions(program.command(name)))
    .description(description)
    .option('--json', 'print one JSON object')
    .addHelpText('after', help);
}

export function register(program: Command): void {
  command(
    program,
    'rollback',
    'make the previous module (the other slot) active again',
    `
The previous module is the one the last flash replaced, while its slot still holds it (an upload
in progress or a later flash erases it). Rolling back twice returns to where you started. A
provisioned board rolls back only to a signed module at or above its anti-rollback floor (pass --key).
Exit codes: 0 rolled back, 1 the board refused (no previous module, below the floor, training), 2 bad usage, 3 board unreachable.`,
  ).action(async (opts: BootOptions) => {
    const port = portOf(opts);
    const client = await DeviceClient.open(port, { ...boardPortOptions(opts), ...keyConnectOptions(opts) });
    try {
      const before = hex(client.info.moduleSha256);
      const result = await client.rollback();
      const summary = {
        port,
        board: client.info.boardName,
        active_slot: result.activeSlot,
        sha256: hex(result.sha256),
        was: before,
      };
      process.stdout.write(
        opts.json
          ? `${JSON.stringify(summary)}\n`
          : `${summary.board} on ${port}: slot ${summary.active_slot} active again (sha256 ${summary.sha256}); ${bootText(client.info)}\n`,
      );
    } finally {
      await client.close();
    }
  });

  command(
    program,
    'confirm',
    'end the active module’s trial: a reset no longer reverts it to the previous module',
    `
A module flashed over another is on trial until confirmed here, by qiot flash --confirm, or by
completing its trial steps of training (docs/reliability.md "Trial boot"). Confirming a board with
nothing on trial changes nothing. A provisioned board needs --key.
Exit codes: 0 confirmed, 1 the board refused, 2 bad usage, 3 board unreachable.`,
  ).action(async (opts: BootOptions) => {
    const port = portOf(opts);
    const client = await DeviceClient.open(port, { ...boardPortOptions(opts), ...keyConnectOptions(opts) });
    try {
      const wasPending = client.info.boot?.pending ?? false;
      const info = await client.confirm();
      const summary = { port, board: info.boardName, sha256: hex(info.moduleSha256), was_pending: wasPending };
      process.stdout.write(
        opts.json
          ? `${JSON.stringify(summary)}\n`
          : `${summary.board} on ${port}: module ${summary.sha256} ${wasPending ? 'confirmed' : 'was not on trial (nothing changed)'}\n`,
      );
    } finally {
      await client.close();
    }
  });
}
