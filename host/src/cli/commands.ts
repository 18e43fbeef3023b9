// The `qiot` commands, each with the one-line summary `qiot --help` lists and the
// module that registers it (`register(program)`; one module may register several).
// The index, COMMANDS, is generated (`make abi`) into commands.generated.ts from the
// `// qiot-command: <order> <name> — <summary>` lines at the top of each command module,
// so a new command touches only its own file. Only the module of the command being run
// is imported: loading all of them (vega, serialport, mqtt, …) takes seconds, listing
// them takes nothing; commands.test.ts checks each summary against its module. Every
// command's --help ends with its own exit codes (exit-codes.ts exitCodesHelp); `qiot
// --help` shows the CLI-wide table, a command with subcommands points to theirs.
import type { EventEmitter } from 'node:events';
import { Command } from 'commander';
import { QIOT_VERSION } from '../version.ts';
import { COMMANDS } from './commands.generated.ts';
import { EXIT_CODES_HELP, SUBCOMMAND_EXIT_CODES_HELP } from './exit-codes.ts';

export interface CommandModule {
  register(program: Command): void;
}

export { COMMANDS };

export interface CommandEntry {
  name: string;
  summary: string;
  load: () => Promise<CommandModule>;
}

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

/** The command a command line names (`qiot help X` names X), or undefined (no command: --help, --version). */
export function commandNamed(args: readonly string[]): CommandEntry | undefined {
  const first = args.find((a) => !a.startsWith('-'));
  const name = first === 'help' ? args[args.indexOf('help') + 1] : first;
  return COMMANDS.find((c) => c.name === name);
}

/**
 * The program. Without `args` every command module is loaded; with the command line's
 * `args` only the module of the command it names, or none (the summaries are listed).
 */
export async function buildProgram(args?: readonly string[]): Promise<Command> {
  const program = new Command('qiot')
    .description('On-device training of variational quantum circuits (NLR) — simulate, flash, train, report')
    .version(QIOT_VERSION)
    .exitOverride()
    .showHelpAfterError('(add --help for usage)');
  const named = args && commandNamed(args);
  if (args && !named) for (const c of COMMANDS) program.command(c.name).description(c.summary);
  else for (const load of new Set((named ? [named] : COMMANDS).map((c) => c.load))) (await load()).register(program);
  // The CLI-wide table on `qiot --help`, the subcommands' on a group; every other command
  // lists its own codes (help.test.ts fails a command that does not).
  program.addHelpText('after', `\n${EXIT_CODES_HELP}`);
  for (const cmd of allCommands(program)) {
    if (cmd.commands.length > 0 && !/Exit codes:/.test(helpTextAfter(cmd))) cmd.addHelpText('after', `\n${SUBCOMMAND_EXIT_CODES_HELP}`);
  }
  return program;
}
