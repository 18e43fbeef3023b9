// Options shared by the commands that run training (`qiot sim`, `qiot train`):
// the config file and its command-line overrides, the run log and --json.
import { InvalidArgumentError, type Command } from 'commander';
import type { ConfigOverrides } from '../config/overrides.ts';

export interface RunOptionValues {
  config: string;
  steps?: number;
  seed?: number;
  optimizer?: string;
  lr?: number;
  out?: string;
  force?: boolean;
  json?: boolean;
  chart: boolean;
}

export function parseNonNegativeInt(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError(`expected a whole number ≥ 0, got '${value}'`);
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`${value} is too large`);
  return n;
}

export function parseFiniteNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`expected a number, got '${value}'`);
  return n;
}

export function addRunOptions(cmd: Command): Command {
  return cmd
    .requiredOption('-c, --config <file>', 'run config (JSON; see examples/)')
    .option('--steps <n>', 'override the config’s steps (0 = until Ctrl-C or the shot budget)', parseNonNegativeInt)
    .option('--seed <n>', 'override the config’s seed', parseNonNegativeInt)
    .option('--optimizer <name>', 'override optimizer.name (nlr, sgd, momentum, adam, spsa)')
    .option('--lr <x>', 'override optimizer.lr', parseFiniteNumber)
    .option('-o, --out <path>', 'run log (JSON Lines) path (default runs/<date>-<config name>-s<seed>.jsonl; a run always writes one)')
    .option('--force', 'overwrite an existing run log at --out')
    .option('--json', 'print the run log records on stdout instead of progress and chart')
    .option('--no-chart', 'do not draw the loss chart at the end');
}

export function overridesOf(opts: RunOptionValues): ConfigOverrides {
  return { steps: opts.steps, seed: opts.seed, optimizer: opts.optimizer, lr: opts.lr };
}
