// The `qiot` CLI: a registry of commands, one module per command. Each module
// exports `register(program)`; adding a command is one line in COMMANDS.
import { Command, CommanderError } from 'commander';
import { EXIT, exitCodeOf } from './exit-codes.ts';
import { QIOT_VERSION } from '../version.ts';

type CommandModule = { register(program: Command): void };

const COMMANDS: (() => Promise<CommandModule>)[] = [
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
];

async function main(argv: string[]): Promise<number> {
  const program = new Command('qiot')
    .description('On-device training of variational quantum circuits (NLR) — simulate, flash, train, report')
    .version(QIOT_VERSION)
    .exitOverride()
    .showHelpAfterError('(add --help for usage)');
  for (const load of COMMANDS) (await load()).register(program);
  try {
    await program.parseAsync(argv);
    return Number(process.exitCode ?? EXIT.ok);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and --version end with exitCode 0; every other commander error is a usage error.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    process.stderr.write(`qiot: ${err instanceof Error ? err.message : String(err)}\n`);
    return exitCodeOf(err);
  }
}

// `qiot … --json | head`: a closed pipe ends the output quietly instead of crashing.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(EXIT.ok);
  throw err;
});

process.exitCode = await main(process.argv);
