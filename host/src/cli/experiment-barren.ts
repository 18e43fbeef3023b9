// `qiot experiment barren-plateau`: Var[∂C/∂θ₁] vs qubits (docs/results/README.md, section 1), its
// gradient batches on this process's worker threads (--workers), or with --broker/--threads on the
// fleet's workers as `task`s of kind 'barren-plateau'.
import type { Command } from 'commander';
import { HOST_BUILD_LIMITS, LIMITS, limitsOfBuild } from '../config/limits.ts';
import { BARREN_PLATEAU_FULL, BARREN_PLATEAU_QUICK, type BarrenPlateauResult, runBarrenPlateau } from '../experiments/barren-plateau.ts';
import { barrenPlateauSummary, writeBarrenPlateau } from '../experiments/barren-plateau-report.ts';
import { plainRunCodec } from '../experiments/finished-runs.ts';
import type { GradientBatch, PlateauCost } from '../experiments/gradient-batch.ts';
import { defaultWorkerCount } from '../pool/pool.ts';
import { MODULE_BUILD_NAMES, type ModuleBuild } from '../wasm/builds.ts';
import { CliError, EXIT } from './exit-codes.ts';
import { addFleetOptions, type ExperimentFleetOptions, taskPoolHelp, withTaskPool, workerCount } from './experiment-fleet.ts';
import { MODULE_OPTION_HELP } from './experiment-module.ts';
import { parseChoice, parseIntOption, parseQubitList } from './experiment-options.ts';
import { finish, openOutput, progressBar } from './experiment-progress.ts';
import { addResumeOption, experimentExitCodes, openFinishedRuns } from './experiment-resume.ts';

interface BarrenCliOptions extends ExperimentFleetOptions {
  resume?: boolean;
  qubits?: number[];
  samples?: number;
  layers?: number;
  cost?: PlateauCost;
  module: ModuleBuild;
  workers?: number;
  quick?: boolean;
  out: string;
}

export function registerBarrenPlateau(experiment: Command): void {
  const barrenPlateau = experiment
    .command('barren-plateau')
    .description('Var[∂C/∂θ₁] over random McClean circuits vs qubits, with a semilog fit (McClean et al. 2018)')
    .option('--qubits <list>', 'qubit counts: N, A..B or A,B,C', parseQubitList(1, HOST_BUILD_LIMITS.maxQubits))
    .option('--samples <n>', 'random circuits per point (fresh seed each)', parseIntOption(2, 100_000))
    .option(
      '--layers <L>',
      `fixed depth (default: min(${LIMITS.maxLayers}, ⌊${LIMITS.maxParams}/n⌋), the deepest the module holds)`,
      parseIntOption(1, HOST_BUILD_LIMITS.maxLayers),
    )
    .option('--cost <cost>', 'local or global (default: both side by side)', parseChoice(['local', 'global'] as const))
    .option('--module <build>', MODULE_OPTION_HELP, parseChoice(MODULE_BUILD_NAMES), 'device')
    .option('--workers <n>', `worker threads (default: ${defaultWorkerCount()}, every core)`, parseIntOption(1, 256))
    .option('--quick', 'small run for tests (seconds)')
    .option('-o, --out <dir>', 'output folder', 'runs/barren-plateau');
  addFleetOptions(barrenPlateau, taskPoolHelp('gradient batch (8 per (cost, qubits) cell)'));
  addResumeOption(barrenPlateau, '(cost, qubits) cell').action(async (o: BarrenCliOptions) => {
    const base = o.quick ? BARREN_PLATEAU_QUICK : BARREN_PLATEAU_FULL;
    const limits = limitsOfBuild(o.module);
    const wide = (o.qubits ?? []).find((n) => n > limits.maxQubits);
    if (wide !== undefined)
      throw new CliError(`--qubits ${wide}: the ${o.module} build holds ${limits.maxQubits} qubits (use --module host)`, EXIT.usage);
    if ((o.layers ?? 0) > limits.maxLayers)
      throw new CliError(`--layers ${o.layers}: the ${o.module} build holds ${limits.maxLayers} layers (use --module host)`, EXIT.usage);
    const workers = workerCount(o);
    const finished = openFinishedRuns(o.out, o.resume, plainRunCodec<number[]>());
    const bar = progressBar('circuits');
    const result = await withTaskPool<GradientBatch, number[], BarrenPlateauResult>(o, 'barren-plateau', batchLabel, (pool) =>
      runBarrenPlateau(
        {
          ...base,
          qubits: o.qubits ?? base.qubits,
          samples: o.samples ?? base.samples,
          layers: o.layers ?? base.layers,
          costs: o.cost ? [o.cost] : ['local', 'global'],
          build: o.module,
          workers: pool ? undefined : workers,
          onProgress: bar.update,
        },
        finished,
        pool,
      ),
    ).finally(() => bar.stop());
    const out = openOutput(o.out);
    await writeBarrenPlateau(result, out);
    finish(out, barrenPlateauSummary(result));
  });
  barrenPlateau.addHelpText(
    'after',
    experimentExitCodes('a circuit evaluation failed in the module (in its worker thread or on a worker of the fleet)', 'cells', {
      badOption: 'bad option (e.g. qubits or layers the module build does not hold, fewer than 3 qubit counts, --workers with the fleet)',
      fleet: true,
    }),
  );
}

const batchLabel = (b: GradientBatch) => `gradient batch ${b.cost} n=${b.qubits} L=${b.layers} seeds ${b.from}..${b.to - 1}`;
