// qiot-command: 150 report — plots (SVG, PNG) and a Markdown table from run logs; a barren-plateau.json adds the variance-vs-qubits plot
// `qiot report RUN.jsonl… [barren-plateau.json] --out DIR`: loss curves with
// confidence bands across runs, gradient norms, the NLR phase timeline and a
// Markdown table from run logs; the variance-vs-qubits plot from a
// barren-plateau result.
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { writeBarrenPlateau } from '../experiments/barren-plateau-report.ts';
import { fitVariances, type BarrenPlateauResult } from '../experiments/barren-plateau.ts';
import { ExperimentOutput } from '../experiments/output.ts';
import { errnoReason, isErrnoError } from '../file-errors.ts';
import { checkDistinctFiles, checkDistinctRuns } from '../report/inputs.ts';
import { reportRuns } from '../report/run-report.ts';
import { seriesFromRunLog } from '../report/run-series.ts';
import { readRunLog, RunLogError } from '../runlog/reader.ts';
import { CliError, EXIT } from './exit-codes.ts';

function readBarrenPlateau(path: string): BarrenPlateauResult {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const why = isErrnoError(err) ? errnoReason(err) : `not JSON (${(err as Error).message})`;
    throw new CliError(`${path}: cannot read a barren-plateau result: ${why}`, EXIT.usage);
  }
  const v = value as Partial<BarrenPlateauResult>;
  if (!Array.isArray(v.rows) || !Array.isArray(v.fits) || typeof v.options !== 'object') {
    throw new CliError(
      `${path}: not a barren-plateau result (expected "options", "rows" and "fits", as written by \`qiot experiment barren-plateau\`)`,
      EXIT.usage,
    );
  }
  // Fits are recomputed from the rows so results written by older versions get the current analysis.
  return { ...(v as BarrenPlateauResult), fits: fitVariances(v.rows) };
}

export function register(program: Command): void {
  program
    .command('report')
    .description('plots (SVG, PNG) and a Markdown table from run logs; a barren-plateau.json adds the variance-vs-qubits plot')
    .argument('<files...>', 'run logs (*.jsonl) and/or barren-plateau.json')
    .option('-o, --out <dir>', 'output folder', 'runs/report')
    .option('--title <text>', 'title of the figures and the table', 'qiot runs')
    .addHelpText(
      'after',
      '\nExample:\n  qiot report runs/nlr/runs/iris/*.jsonl --out runs/iris-report\n\n' +
        'Exit codes: 0 written, 2 bad usage, an unreadable or repeated input, or an output file that cannot be written.',
    )
    .action(async (files: string[], opts: { out: string; title: string }) => {
      const logs = files.filter((f) => f.toLowerCase().endsWith('.jsonl'));
      const results = files.filter((f) => f.toLowerCase().endsWith('.json'));
      const other = files.filter((f) => !logs.includes(f) && !results.includes(f));
      if (other.length > 0)
        throw new CliError(`cannot report on ${other.join(', ')}: expected *.jsonl run logs or a barren-plateau *.json`, EXIT.usage);
      checkDistinctFiles(files);
      const written: string[] = [];
      if (logs.length > 0) {
        const read = logs.map((path) => {
          try {
            return { path, log: readRunLog(path) };
          } catch (err) {
            if (err instanceof RunLogError) throw new CliError(err.message, EXIT.usage);
            throw err;
          }
        });
        checkDistinctRuns(read);
        const series = read.map(({ path, log }) => seriesFromRunLog(log, path));
        const empty = series.filter((s) => s.loss.length === 0).map((s) => s.label);
        if (empty.length === series.length) throw new CliError(`no run has any steps to report (${empty.join(', ')})`, EXIT.usage);
        const files = await reportRuns(series, opts.out, { prefix: '', title: opts.title });
        written.push(...files.figures, files.markdown);
      }
      for (const path of results) {
        const out = new ExperimentOutput(opts.out);
        await writeBarrenPlateau(readBarrenPlateau(path), out);
        written.push(...out.files);
      }
      process.stdout.write(`${written.join('\n')}\n`);
    });
}
