// The `qiot` commands: one module per command, each exporting `register(program)`;
// adding a command is one line in COMMANDS. Every command's --help ends with its
// exit codes: its own list, or the CLI's table (exit-codes.ts) when it has none.
import type { EventEmitter } from 'node:events';
import { Command } from 'commander';
import { QIOT_VERSION } from '../version.ts';
import { EXIT_CODES_HELP } from './exit-codes.ts';

type CommandModule = { register(program: Command): void };

export const COMMANDS: (() => Promise<CommandModule>)[] = [
  () => import('./sim.ts'),
  () => import('./plot.ts'),
  () => import('./emulate.ts'),
  () => import('./flash.ts'),
  () => import('./train.ts'),
  () => import('./monitor.ts'),
  () => import('./info.ts'),
  () => import('./params.ts'),
  () => import('./ports.ts'),
  () => import('./flash-firmware.ts'),
  () => import('./experiment.ts'),
  () => import('./report.ts'),
  () => import('./eval.ts'),
  () => import('./gateway.ts'),
  () => import('./worker.ts'),
  () => import('./sweep.ts'),
  () => import('./fleet.ts'),
  () => import('./dashboard.ts'),
  () => import('./keys.ts'),
  () => import('./sign.ts'),
  () => import('./provision.ts'),
  () => import('./rollback.ts'),
];

/** The text a command adds after its help (addHelpText('after')), as written. */
export function helpTextAfter(cmd: Command): string {
  let text = '';
  for (const listener of (cmd as unknown as EventEmitter).listeners('afterHelp')) {
    listener({ error: false, command: cmd, write: (s: string) => (text += s) });
  }
  return text;
}

/** Every command (and subcommand) below `root`. */
export function allCommands(root: Command): Command[] {
  return root.commands.flatMap((c) => [c, ...allCommands(c)]);
}

export async function buildProgram(): Promise<Command> {
  const program = new Command('qiot')
    .description('On-device training of variational quantum circuits (NLR) — simulate, flash, train, report')
    .version(QIOT_VERSION)
    .exitOverride()
    .showHelpAfterError('(add --help for usage)');
  for (const load of COMMANDS) (await load()).register(program);
  for (const cmd of [program, ...allCommands(program)]) {
    if (!/Exit codes:/.test(helpTextAfter(cmd))) cmd.addHelpText('after', `\n${EXIT_CODES_HELP}`);
  }
  return program;
}
