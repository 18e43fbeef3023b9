// The `qiot` commands, each with the one-line summary `qiot --help` lists and the
// module that registers it (`register(program)`; one module may register several).
// Only the module of the command being run is imported: loading all of them (vega,
// serialport, mqtt, …) takes seconds, listing them takes nothing; commands.test.ts
// checks each summary against its module. Every command's --help ends with its exit
// codes: its own list, or the CLI's table (exit-codes.ts) when it has none.
import type { EventEmitter } from 'node:events';
import { Command } from 'commander';
import { QIOT_VERSION } from '../version.ts';
import { EXIT_CODES_HELP } from './exit-codes.ts';

export interface CommandModule {
  register(program: Command): void;
}

export interface CommandEntry {
  name: string;
  summary: string;
  load: () => Promise<CommandModule>;
}

/** Registers both `rollback` and `confirm`: one loader, so the module is registered once. */
const rollbackModule = () => import('./rollback.ts');

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'sim',
    summary: 'train in-process with the module (no board); --compare runs several optimizers from the same start',
    load: () => import('./sim.ts'),
  },
  {
    name: 'plot',
    summary: 'plot the loss curve of a run log (negative NLR phases in red) as SVG and PNG',
    load: () => import('./plot.ts'),
  },
  { name: 'emulate', summary: 'run an emulated board and print its serial port; Ctrl-C stops it', load: () => import('./emulate.ts') },
  {
    name: 'flash',
    summary: 'upload a module (e.g. build/qiot.wasm) to a board; it becomes active only once verified',
    load: () => import('./flash.ts'),
  },
  {
    name: 'train',
    summary: 'train on a board (flash a module first); same config, flags and run log as `qiot sim`',
    load: () => import('./train.ts'),
  },
  {
    name: 'monitor',
    summary: 'show the telemetry, log and error frames a board sends, with timestamps; waits for the board when it restarts',
    load: () => import('./monitor.ts'),
  },
  { name: 'info', summary: 'show a board’s firmware and protocol versions, capacities and active module', load: () => import('./info.ts') },
  {
    name: 'params',
    summary: 'read or write θ, the circuit parameters of the module on a board (after a run)',
    load: () => import('./params.ts'),
  },
  {
    name: 'stop',
    summary: 'stop the run a board is training (TRAIN_STOP); the board stays up and keeps θ as the run left it',
    load: () => import('./stop.ts'),
  },
  {
    name: 'reset',
    summary: 'restart the firmware of a board (RESET request) and wait until it answers again; the flashed module stays',
    load: () => import('./reset.ts'),
  },
  {
    name: 'attach',
    summary: 'follow a run a board is training on its own: the records its telemetry ring still holds, then live ones',
    load: () => import('./attach.ts'),
  },
  {
    name: 'ports',
    summary: 'list serial devices and running emulated boards (qiot emulate) to pass as --port',
    load: () => import('./ports.ts'),
  },
  {
    name: 'flash-firmware',
    summary: 'write the ESP-IDF build of the qiot firmware to a real ESP32 board with esptool (run idf.py build first)',
    load: () => import('./flash-firmware.ts'),
  },
  {
    name: 'experiment',
    summary: 'reproduce the barren-plateau, local-vs-global and NLR results, and the optimizer study',
    load: () => import('./experiment.ts'),
  },
  {
    name: 'report',
    summary: 'plots (SVG, PNG) and a Markdown table from run logs; a barren-plateau.json adds the variance-vs-qubits plot',
    load: () => import('./report.ts'),
  },
  { name: 'eval', summary: "score a run's final θ on data: exact train/test loss and accuracy", load: () => import('./eval.ts') },
  {
    name: 'gateway',
    summary: 'attach local boards to the fleet: status, telemetry and commands through the MQTT broker',
    load: () => import('./gateway.ts'),
  },
  {
    name: 'worker',
    summary: 'virtual boards: run the module in worker threads for the fleet (one executor per thread)',
    load: () => import('./worker.ts'),
  },
  {
    name: 'sweep',
    summary: 'run a grid of configs × seeds × optimizers on every board and worker of the fleet, one run log per run',
    load: () => import('./sweep.ts'),
  },
  {
    name: 'fleet',
    summary: 'the boards and workers on the MQTT broker: ls, info, flash, train, stop, monitor',
    load: () => import('./fleet.ts'),
  },
  {
    name: 'dashboard',
    summary: 'serve the live web dashboard (fleet, live runs, run logs, sweeps) on 127.0.0.1',
    load: () => import('./dashboard.ts'),
  },
  { name: 'keys', summary: 'create and inspect module-signing keys (Ed25519)', load: () => import('./keys.ts') },
  { name: 'sign', summary: 'sign a module for boards provisioned with your key: writes MODULE.sig', load: () => import('./sign.ts') },
  {
    name: 'provision',
    summary: 'make a board trust your signing key: signed modules and authenticated control only (or --open to undo)',
    load: () => import('./provision.ts'),
  },
  { name: 'rollback', summary: 'make the previous module (the other slot) active again', load: rollbackModule },
  {
    name: 'confirm',
    summary: 'end the active module’s trial: a reset no longer reverts it to the previous module',
    load: rollbackModule,
  },
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
  for (const cmd of [program, ...allCommands(program)]) {
    if (!/Exit codes:/.test(helpTextAfter(cmd))) cmd.addHelpText('after', `\n${EXIT_CODES_HELP}`);
  }
  return program;
}
