// qiot-command: 10 sim — train in-process with the module (no board); --compare runs several optimizers from the same start
// `qiot sim`: training with the module in this process (no board), one run or
// a comparison of optimizers on the same config, seed and initial θ.
import type { Command } from 'commander';
import { loadConfig } from '../config/load.ts';
import { OPTIMIZER_NAMES } from '../config/schema.ts';
import { ModuleFileError, ModuleTarget, readModuleImage, type ModuleImage } from '../train/module-target.ts';
import { HOST_BUILD_LIMITS, LIMITS } from '../config/limits.ts';
import { MODULE_BUILD_NAMES, moduleBuildPath, type ModuleBuild } from '../wasm/builds.ts';
import { CliError, EXIT } from './exit-codes.ts';
import {
  addRunOptions,
  configPathOf,
  matchedPerturbOf,
  overridesOf,
  parseNonNegativeInt,
  resumePlanOf,
  type RunOptionValues,
} from './run-options.ts';
import { exitCodeOfStatus, interruptSignal, runSession } from './run-session.ts';
import { parseSeeds } from '../fleet/sweep-grid.ts';
import { moduleImageBySha } from './module-file.ts';
import { defaultRunLogPath, runLogPathOf } from '../runlog/paths.ts';
import { defaultWorkerCount } from '../pool/pool.ts';
import { parseIntOption } from './experiment-options.ts';

interface SimOptions extends RunOptionValues {
  module: string;
  compare?: string;
  seeds?: string;
  budget?: number;
  workers?: number;
}

export function register(program: Command): void {
  const cmd = program
    .command('sim')
    .description('train in-process with the module (no board); --compare runs several optimizers from the same start');
  addRunOptions(cmd)
    .option(
      '-m, --module <build|path>',
      `module: a build (${MODULE_BUILD_NAMES.join(', ')}; host = 20 qubits, 4096 parameters, SIMD) or a .wasm file`,
      'device',
    )
    .option(
      '--compare <optimizers>',
      `comma-separated optimizers to compare (${OPTIMIZER_NAMES.join(',')}), at equal shot budgets when sampled; --out is then a directory`,
    )
    .option('--seeds <list>', "with --compare: seeds 1..5, 1,4,9 or 1..3,10 (default: the config's seed)")
    .option(
      '--workers <n>',
      `with --compare: worker threads running the runs (default: ${defaultWorkerCount()}, every core; 1 = one after another in this process)`,
      parseIntOption(1, 256),
    )
    .option('--budget <shots>', 'override shots.budget (sampled configs; with --compare, the budget of every run)', parseNonNegativeInt)
    .addHelpText(
      'after',
      `
Examples:
  qiot sim --config examples/iris-nlr.json
  qiot sim --config examples/iris-nlr.json --steps 50 --seed 7 --out runs/iris.jsonl
  qiot sim --config examples/plateau-global.json --compare nlr,sgd,adam,spsa --out runs/plateau
  qiot sim --config examples/synthetic-nlr.json --compare nlr,adam,spsa --seeds 1..5 --budget 2000000 --out runs/cmp
  qiot sim --config examples/iris-nlr.json --compare nlr,adam --seeds 1..4 --workers 2 --out runs/cmp2   # 8 runs, 2 at a time
  qiot sim --config examples/host-hea-16.json --module host
  qiot sim --config examples/synthetic-layerwise.json          # a schedule: layerwise training (docs/config.md)
  qiot sim --config examples/synthetic-nlr.json --optimizer sgd --match-perturb runs/nlr.jsonl   # noise matched to an NLR run
  qiot sim --resume runs/iris.jsonl --steps 200      # go on with a run to 200 steps in all

Exit codes: 0 done, 1 run failed (trap, numeric) or a resumed run's recomputed step differs from its log, 2 bad usage, config or file (e.g. an existing log without --force), 130 interrupted.`,
    )
    .action(async (opts: SimOptions) => {
      process.exitCode = await sim(opts, cmd.getOptionValueSource('module') !== 'default');
    });
}

export async function loadImage(path: string): Promise<ModuleImage> {
  try {
    return await readModuleImage(path);
  } catch (err) {
    if (err instanceof ModuleFileError) throw new CliError(err.message, EXIT.usage);
    throw err;
  }
}

export function parseOptimizerList(list: string): string[] {
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const unknown = names.filter((n) => !(OPTIMIZER_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw new CliError(
      `--compare: unknown optimizer ${unknown.map((n) => `'${n}'`).join(', ')}; choose from ${OPTIMIZER_NAMES.join(', ')}`,
      EXIT.usage,
    );
  }
  if (names.length === 0) throw new CliError('--compare: name at least one optimizer', EXIT.usage);
  if (new Set(names).size !== names.length) throw new CliError('--compare: an optimizer is listed twice', EXIT.usage);
  return names;
}

async function sim(opts: SimOptions, moduleExplicit = true): Promise<number> {
  if (opts.workers !== undefined && opts.compare === undefined)
    throw new CliError('--workers goes with --compare (one run is one thread: its steps are never split)', EXIT.usage);
  const plan = resumePlanOf(opts);
  if (plan) {
    if (opts.compare !== undefined) throw new CliError('--resume goes on with one run: it cannot be combined with --compare', EXIT.usage);
    const image = await moduleImageBySha(plan.log.header.module_sha256, moduleExplicit ? opts.module : undefined, '--resume');
    const interrupt = interruptSignal();
    try {
      process.stderr.write(
        `qiot: resuming ${plan.path}: recomputing its ${plan.replay.length} logged steps, then on to ${plan.config.steps || 'the end'}\n`,
      );
      const result = await runSession(new ModuleTarget(image), plan.config, { ...opts, resume: plan, signal: interrupt.signal });
      if (opts.out === undefined) process.stderr.write(`qiot: run log ${plan.path}\n`);
      return exitCodeOfStatus(result.summary.status);
    } finally {
      interrupt.dispose();
    }
  }
  const config = configPathOf(opts);
  if (opts.compare !== undefined && opts.optimizer !== undefined) {
    throw new CliError('--optimizer and --compare cannot be combined: --compare sets the optimizer of each run', EXIT.usage);
  }
  const optimizers = opts.compare !== undefined ? parseOptimizerList(opts.compare) : null;
  if (opts.seeds !== undefined && optimizers === null)
    throw new CliError('--seeds goes with --compare (one run has one --seed)', EXIT.usage);
  if (opts.seeds !== undefined && opts.seed !== undefined) throw new CliError('--seed and --seeds cannot be combined', EXIT.usage);
  if (opts.compare !== undefined && opts.matchPerturb !== undefined)
    throw new CliError('--match-perturb sets the σ of one run: it cannot be combined with --compare', EXIT.usage);
  const matched = matchedPerturbOf(opts);
  const overrides = { ...overridesOf(opts, matched), budget: opts.budget };
  const build = (MODULE_BUILD_NAMES as string[]).includes(opts.module) ? (opts.module as ModuleBuild) : null;
  const limits = build === 'host' ? HOST_BUILD_LIMITS : LIMITS;
  const cfg = loadConfig(config, overrides, limits);
  const image = await loadImage(build ? moduleBuildPath(build) : opts.module);
  const interrupt = interruptSignal();
  try {
    if (optimizers) {
      const out = opts.out ?? defaultRunLogPath(config, cfg.seed, new Date(), 'runs', '-compare');
      if (opts.out === undefined) process.stderr.write(`qiot: run logs in ${out}/\n`);
      const seeds = opts.seeds !== undefined ? parseSeeds(opts.seeds) : [cfg.seed];
      const { runComparison } = await import('./sim-compare.ts'); // charts (vega): loaded only for --compare
      return await runComparison(image, config, overrides, optimizers, { ...opts, out, seeds, limits, signal: interrupt.signal });
    }
    const out = runLogPathOf(opts.out, config, cfg.seed);
    const result = await runSession(new ModuleTarget(image), cfg, {
      ...opts,
      out,
      resume: undefined,
      signal: interrupt.signal,
      matchedPerturb: matched,
    });
    return exitCodeOfStatus(result.summary.status);
  } finally {
    interrupt.dispose();
  }
}
