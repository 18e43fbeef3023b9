// qiot-command: 20 plot — plot the loss curve of a run log (negative NLR phases in red) as SVG and PNG
// `qiot plot RUN.jsonl`: the loss curve of one run (NLR phases marked) as SVG and PNG.
import type { Command } from 'commander';
import { plotRun } from '../report/run-plot.ts';
import { readRunLog, RunLogError } from '../runlog/reader.ts';
import { CliError, EXIT } from './exit-codes.ts';

export function register(program: Command): void {
  program
    .command('plot')
    .description('plot the loss curve of a run log (negative NLR phases in red) as SVG and PNG')
    .argument('<run.jsonl>', 'run log written by `qiot sim` or `qiot train`')
    .option('-o, --out <file>', 'output file: FILE.svg and FILE.png are written (default: next to the run log)')
    .addHelpText(
      'after',
      '\nExample:\n  qiot plot runs/iris.jsonl --out runs/iris.svg\n\nExit codes: 0 written, 2 bad usage, an unreadable run log or an output file that cannot be written.',
    )
    .action(async (runLog: string, opts: { out?: string }) => {
      let log: ReturnType<typeof readRunLog>;
      try {
        log = readRunLog(runLog);
      } catch (err) {
        if (err instanceof RunLogError) throw new CliError(err.message, EXIT.usage);
        throw err;
      }
      if (log.steps.length === 0) throw new CliError(`${runLog}: the run has no steps to plot`, EXIT.usage);
      const paths = await plotRun(log, opts.out ?? runLog.replace(/\.jsonl$/i, ''));
      process.stdout.write(`${paths.svg}\n${paths.png}\n`);
    });
}
