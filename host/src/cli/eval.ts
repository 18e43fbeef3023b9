// qiot-command: 160 eval — score a run's final θ on data: exact train/test loss and accuracy
// `qiot eval RUN.jsonl`: the final θ of a run scored on data — the run's own
// train/test split, or the dataset of another config (--data) — with the module
// the run used (exact losses and accuracies, no shots).
import type { Command } from 'commander';
import { loadConfig } from '../config/load.ts';
import { readRunLog } from '../runlog/reader.ts';
import { scoreParams } from '../train/score.ts';
import { formatLoss, formatPercent } from '../ui/format.ts';
import { HOST_BUILD_LIMITS } from '../config/limits.ts';
import { CliError, EXIT } from './exit-codes.ts';
import { moduleImageBySha } from './module-file.ts';

interface EvalOptions {
  data?: string;
  module?: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('eval')
    .description("score a run's final θ on data: exact train/test loss and accuracy")
    .argument('<run.jsonl>', 'run log whose summary holds θ (written by sim, train, experiment)')
    .option('--data <config.json>', "score on this config's dataset section instead of the run's (e.g. another dataset.seed)")
    .option('-m, --module <build|path>', 'module to score with (default: the build whose sha256 the run log names)')
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      `
Examples:
  qiot eval runs/iris.jsonl
  qiot eval runs/synthetic.jsonl --data examples/synthetic-nlr-fresh.json --json

Losses are exact means over a split (evaluate() of docs/abi.md), not mini-batch losses;
accuracy is the fraction of samples whose sign of ⟨O⟩ matches the label.
Exit codes: 0 scored, 2 bad usage, run log, config or module.`,
    )
    .action(async (path: string, opts: EvalOptions) => {
      const log = readRunLog(path);
      const theta = log.summary?.params;
      if (!theta) {
        throw new CliError(
          `${path}: no final θ (${log.summary ? 'the summary has no params' : 'the run has no summary'}); go on with it first: qiot sim --resume ${path}`,
          EXIT.usage,
        );
      }
      if (theta.some((v) => v === null)) throw new CliError(`${path}: the final θ has non-finite values`, EXIT.usage);
      const cfg = opts.data ? { ...log.header.config, dataset: loadConfig(opts.data, {}, HOST_BUILD_LIMITS).dataset } : log.header.config;
      const image = await moduleImageBySha(log.header.module_sha256, opts.module, 'eval');
      const scores = scoreParams(image.bytes, cfg, theta as number[]);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ run: path, data: opts.data ?? null, ...scores })}\n`);
        return;
      }
      const rows: [string, string][] = [
        [
          'run',
          `${path} (${log.header.config.optimizer.name}, seed ${log.header.config.seed}, ${log.steps.length} steps, ${log.summary!.status})`,
        ],
        [
          'data',
          scores.dataset ? `${scores.dataset}: ${scores.n_train} train + ${scores.n_test} test samples` : 'none (cost without a dataset)',
        ],
        ['exact train loss', formatLoss(scores.train_loss)],
      ];
      if (scores.test_loss !== null) rows.push(['test loss', formatLoss(scores.test_loss)]);
      if (scores.train_accuracy !== null) rows.push(['train accuracy', formatPercent(scores.train_accuracy)]);
      if (scores.test_accuracy !== null) rows.push(['test accuracy', formatPercent(scores.test_accuracy)]);
      const width = Math.max(...rows.map(([k]) => k.length));
      process.stdout.write(rows.map(([k, v]) => `${k.padEnd(width)}  ${v}\n`).join(''));
    });
}
