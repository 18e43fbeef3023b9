// qiot-command: 140 experiment — reproduce the barren-plateau, local-vs-global and NLR results, and the optimizer study
// `qiot experiment barren-plateau | local-global | nlr`: the reproductions of
// docs/results/, each with --quick (seconds) and a full mode (minutes).
import type { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { HOST_BUILD_LIMITS, LIMITS, limitsOfBuild } from '../config/limits.ts';
import { CliError, EXIT } from './exit-codes.ts';
import { MODULE_BUILD_NAMES, type ModuleBuild } from '../wasm/builds.ts';
import { BARREN_PLATEAU_FULL, BARREN_PLATEAU_QUICK, runBarrenPlateau } from '../experiments/barren-plateau.ts';
import type { PlateauCost } from '../experiments/gradient-batch.ts';
import { barrenPlateauSummary, writeBarrenPlateau } from '../experiments/barren-plateau-report.ts';
import { LOCAL_GLOBAL_FULL, LOCAL_GLOBAL_QUICK, type LocalGlobalRun, runLocalGlobal } from '../experiments/local-global.ts';
import { localGlobalMarkdown, writeLocalGlobal } from '../experiments/local-global-report.ts';
import {
  CLASSIFICATION_LOSSES,
  NLR_FULL,
  NLR_MODES,
  NLR_QUICK,
  NLR_VARIANT_PARAMS,
  type ClassificationLoss,
  type NlrMode,
} from '../experiments/nlr-design.ts';
import { type FinishedRun, plainRunCodec } from '../experiments/finished-runs.ts';
import { addResumeOption, experimentExitCodes, openFinishedRuns } from './experiment-resume.ts';
import { runNlr } from '../experiments/nlr.ts';
import { writeNlr } from '../experiments/nlr-report.ts';
import { commandLine, ExperimentOutput } from '../experiments/output.ts';
import { fmt } from '../report/markdown-table.ts';
import { parseChoice, parseChoiceList, parseIntOption, parseQubitList } from './experiment-options.ts';
import { registerDeepPlateau } from './experiment-deep.ts';
import { MODULE_OPTION_HELP } from './experiment-module.ts';
import { registerStudy } from './experiment-study.ts';
import { defaultWorkerCount } from '../pool/pool.ts';
import { addFleetOptions, type ExperimentFleetOptions, refuseFleetOptions, withFleet } from './experiment-fleet.ts';

function progressBar(label: string): { update: (done: number, total: number) => void; stop: () => void } {
  const bar = new SingleBar({ format: `${label} [{bar}] {value}/{total} {eta_formatted}`, stream: process.stderr }, Presets.shades_classic);
  let started = false;
  return {
    update: (done, total) => {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.update(done);
    },
    stop: () => {
      if (started) bar.stop();
      started = false;
    },
  };
}

function openOutput(dir: string): ExperimentOutput {
  const out = new ExperimentOutput(dir);
  out.text('command.txt', `${commandLine()}\n`);
  return out;
}

function finish(out: ExperimentOutput, lines: string[]): void {
  process.stdout.write(`${lines.join('\n')}\n\nwrote ${out.files.length} files to ${out.dir}\n`);
}

export function register(program: Command): void {
  const experiment = program
    .command('experiment')
    .description('reproduce the barren-plateau, local-vs-global and NLR results, and the optimizer study');
  registerStudy(experiment);
  registerDeepPlateau(experiment);

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
  addResumeOption(barrenPlateau, '(cost, qubits) cell').action(
    async (o: {
      resume?: boolean;
      qubits?: number[];
      samples?: number;
      layers?: number;
      cost?: PlateauCost;
      module: ModuleBuild;
      workers?: number;
      quick?: boolean;
      out: string;
    }) => {
      const base = o.quick ? BARREN_PLATEAU_QUICK : BARREN_PLATEAU_FULL;
      const limits = limitsOfBuild(o.module);
      const wide = (o.qubits ?? []).find((n) => n > limits.maxQubits);
      if (wide !== undefined)
        throw new CliError(`--qubits ${wide}: the ${o.module} build holds ${limits.maxQubits} qubits (use --module host)`, EXIT.usage);
      if ((o.layers ?? 0) > limits.maxLayers)
        throw new CliError(`--layers ${o.layers}: the ${o.module} build holds ${limits.maxLayers} layers (use --module host)`, EXIT.usage);
      const finished = openFinishedRuns(o.out, o.resume, plainRunCodec<number[]>());
      const bar = progressBar('circuits');
      const result = await runBarrenPlateau(
        {
          ...base,
          qubits: o.qubits ?? base.qubits,
          samples: o.samples ?? base.samples,
          layers: o.layers ?? base.layers,
          costs: o.cost ? [o.cost] : ['local', 'global'],
          build: o.module,
          workers: o.workers ?? defaultWorkerCount(),
          onProgress: bar.update,
        },
        finished,
      ).finally(() => bar.stop());
      const out = openOutput(o.out);
      await writeBarrenPlateau(result, out);
      finish(out, barrenPlateauSummary(result));
    },
  );
  barrenPlateau.addHelpText(
    'after',
    experimentExitCodes('a circuit evaluation failed in the module (in its worker thread)', 'cells', {
      badOption: 'bad option (e.g. qubits or layers the module build does not hold, fewer than 3 qubit counts)',
    }),
  );

  const localGlobal = experiment
    .command('local-global')
    .description('local vs global cost on 6 qubits, 10 000 shots, SGD (Cerezo et al. 2021, PennyLane demo setting)')
    .option('--quick', 'small run for tests (seconds)')
    .option('-o, --out <dir>', 'output folder', 'runs/local-global');
  addResumeOption(addFleetOptions(localGlobal), 'training run').action(
    async (o: { quick?: boolean; out: string; resume?: boolean } & ExperimentFleetOptions) => {
      const finished = openFinishedRuns(o.out, o.resume, plainRunCodec<LocalGlobalRun>());
      const bar = progressBar('runs');
      const result = await withFleet(o, (fleet) =>
        runLocalGlobal(o.quick ? LOCAL_GLOBAL_QUICK : LOCAL_GLOBAL_FULL, bar.update, finished, fleet),
      ).finally(() => bar.stop());
      const out = openOutput(o.out);
      await writeLocalGlobal(result, out);
      finish(out, [localGlobalMarkdown(result)]);
    },
  );
  localGlobal.addHelpText('after', experimentExitCodes('a training run failed in the module or on a worker', 'runs', { fleet: true }));

  const fleetRefusals: Record<string, string> = {
    'barren-plateau':
      'its samples are gradients ∂C/∂θ₁ at random θ₀ (no training); a fleet job is a training run, which returns telemetry and θ, not gradients',
  };
  for (const [name, why] of Object.entries(fleetRefusals)) {
    const cmd = experiment.commands.find((c) => c.name() === name);
    if (cmd) refuseFleetOptions(cmd, why);
  }

  const nlr = experiment
    .command('nlr')
    .description('NLR variants vs SGD, Momentum, Adam and SPSA: lr sweep on tuning seeds, paired evaluation seeds, equal shot budgets')
    .option('--seeds <n>', 'evaluation seeds', parseIntOption(2, 1000))
    .option(
      '--nlr-modes <list>',
      `NLR variants compared (default: all of ${NLR_MODES.join(',')}; fixed ρ ${NLR_VARIANT_PARAMS.ratio}, period ${NLR_VARIANT_PARAMS.period}, ` +
        `prob ${NLR_VARIANT_PARAMS.prob}, patience ${NLR_VARIANT_PARAMS.patience})`,
      parseChoiceList(NLR_MODES),
    )
    .option('--loss <loss>', 'loss of the synthetic and Iris tasks: class-sq (default) or class-xent', parseChoice(CLASSIFICATION_LOSSES))
    .option('--quick', 'small run for tests (seconds)')
    .option('-o, --out <dir>', 'output folder', 'runs/nlr');
  addResumeOption(addFleetOptions(nlr), 'run').action(
    async (
      o: {
        seeds?: number;
        loss?: ClassificationLoss;
        nlrModes?: NlrMode[];
        quick?: boolean;
        out: string;
        resume?: boolean;
      } & ExperimentFleetOptions,
    ) => {
      const base = o.quick ? NLR_QUICK : NLR_FULL;
      const opts = {
        ...base,
        classificationLoss: o.loss ?? base.classificationLoss,
        nlrModes: o.nlrModes ?? base.nlrModes,
        evaluationSeeds: o.seeds ? Array.from({ length: o.seeds }, (_, i) => i + 1) : base.evaluationSeeds,
      };
      const finished = openFinishedRuns<FinishedRun>(o.out, o.resume);
      const bar = progressBar('runs');
      let phase = '';
      const result = await withFleet(o, (fleet) =>
        runNlr(
          opts,
          (p, done, total) => {
            if (p !== phase) {
              bar.stop();
              phase = p;
            }
            bar.update(done, total);
          },
          finished,
          fleet,
        ),
      ).finally(() => bar.stop());
      const out = openOutput(o.out);
      const { comparisons } = await writeNlr(result, out);
      finish(
        out,
        comparisons.map(
          (c) =>
            `${c.task.padEnd(9)} ${c.nlr.padEnd(14)} vs ${c.baseline.padEnd(8)} win rate ${fmt(c.winRate.rate)}, mean exact train loss lower by ${fmt(c.relativeImprovementPct)}%`,
        ),
      );
    },
  );
  nlr.addHelpText(
    'after',
    experimentExitCodes(
      'a training run failed in the module or on a worker, or two contenders of a seed did not start from the same θ₀',
      'runs',
      { fleet: true },
    ),
  );
}
