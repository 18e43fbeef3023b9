// The `qiot` CLI's entry: builds the program (commands.ts) with only the module of
// the command being run, so `qiot --help` is fast, and maps what ends it to an exit code.
import { CommanderError } from 'commander';
import { buildProgram } from './commands.ts';
import { asFileError } from '../file-errors.ts';
import { EXIT, exitCodeOf } from './exit-codes.ts';

async function main(argv: string[]): Promise<number> {
  const program = await buildProgram(argv.slice(2));
  try {
    await program.parseAsync(argv);
    return Number(process.exitCode ?? EXIT.ok);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and --version end with exitCode 0; every other commander error is a usage error.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    // A node:fs error nobody caught still names its file, in words (never a raw errno line).
    const e = asFileError(err);
    process.stderr.write(`qiot: ${e instanceof Error ? e.message : String(e)}\n`);
    return exitCodeOf(e);
  }
}

// `qiot … --json | head`: a closed pipe ends the output quietly instead of crashing.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(EXIT.ok);
  throw err;
});

process.exitCode = await main(process.argv);
