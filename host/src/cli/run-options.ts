// Options shared by the commands that run training (`qiot sim`, `qiot train`):
// the config file and its command-line overrides, the run log and --json.
import { InvalidArgumentError, type Command } from 'commander';
import type { ConfigOverrides } from '../config/overrides.ts';
import { readRunLog } from '../runlog/reader.ts';
import { matchedPerturbOfLog, type MatchedPerturb } from '../schedule/matched-perturb.ts';
import { planResume, type ResumePlan } from '../train/resume.ts';
import { CliError, EXIT } from './exit-codes.ts';

export interface RunOptionValues {
  /** Required unless --resume (then the logged run's config is used). */
  config?: string;
  resume?: string;
  steps?: number;
  seed?: number;
  optimizer?: string;
  lr?: number;
  /** NLR run log whose ascent steps set optimizer.perturb (schedule/matched-perturb.ts). */
  matchPerturb?: string;
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
    .option('-c, --config <file>', 'run config (JSON; see examples/); required unless --resume')
    .option(
      '--resume <run.jsonl>',
      'go on with a logged run (its config, seed and θ path): the logged steps are recomputed and checked bit for bit, then it continues to its total steps (--steps N sets a new total); the log is rewritten in place unless --out',
    )
    .option('--steps <n>', 'override the config’s steps (0 = until Ctrl-C or the shot budget)', parseNonNegativeInt)
    .option('--seed <n>', 'override the config’s seed', parseNonNegativeInt)
    .option('--optimizer <name>', 'override optimizer.name (nlr, sgd, momentum, adam, spsa)')
    .option('--lr <x>', 'override optimizer.lr', parseFiniteNumber)
    .option(
      '--match-perturb <nlr-run.jsonl>',
      "perturbed GD matched to NLR: optimizer.perturb = σ with σ² = Σ‖Δθ‖² of that NLR run's ascent steps / (P·T) (docs/config.md)",
    )
    .option('-o, --out <path>', 'run log (JSON Lines) path (default runs/<date>-<config name>-s<seed>.jsonl; a run always writes one)')
    .option('--force', 'overwrite an existing run log at --out')
    .option('--json', 'print the run log records on stdout instead of progress and chart')
    .option('--no-chart', 'do not draw the loss chart at the end');
}

export function overridesOf(opts: RunOptionValues, matched?: MatchedPerturb): ConfigOverrides {
  return { steps: opts.steps, seed: opts.seed, optimizer: opts.optimizer, lr: opts.lr, perturb: matched?.sigma };
}

/** σ from `--match-perturb`'s NLR run log (a log that is no NLR run, or has no ascent step, is refused: exit 2). */
export function matchedPerturbOf(opts: RunOptionValues): MatchedPerturb | undefined {
  return opts.matchPerturb === undefined ? undefined : matchedPerturbOfLog(opts.matchPerturb, readRunLog(opts.matchPerturb));
}

/** The config file of a new run; a usage error when neither --config nor --resume was given. */
export function configPathOf(opts: RunOptionValues): string {
  if (opts.config === undefined)
    throw new CliError('--config <file> is required (or --resume <run.jsonl> to go on with a logged run)', EXIT.usage);
  return opts.config;
}

/** The plan of `--resume`, or null for a new run. Flags that would change the logged run are refused. */
export function resumePlanOf(opts: RunOptionValues): ResumePlan | null {
  if (opts.resume === undefined) return null;
  const flags = { config: '--config', seed: '--seed', optimizer: '--optimizer', lr: '--lr', matchPerturb: '--match-perturb' } as const;
  const clashing = (Object.keys(flags) as (keyof typeof flags)[]).filter((k) => opts[k] !== undefined);
  if (clashing.length > 0) {
    throw new CliError(
      `--resume goes on with the logged run's own config: ${clashing.map((k) => flags[k]).join(', ')} cannot be combined with it (only --steps, the new total)`,
      EXIT.usage,
    );
  }
  return planResume(opts.resume, readRunLog(opts.resume), opts.steps);
}
