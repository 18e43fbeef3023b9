// `qiot experiment deep-plateau`: barren plateaus at 2-design depth on the host build, escape
// rate vs n for every method (docs/results/README.md, section 3b); with --broker/--threads its units
// (gradient batches, escape runs) go to the fleet's workers as `task`s.
import type { Command } from 'commander';
import { DEEP_PLATEAU_FULL, DEEP_PLATEAU_QUICK, type DeepPlateauResult, type DeepUnit, runDeepPlateau } from '../study/deep-plateau-run.ts';
import type { DeepTask } from '../study/deep-plateau-worker.ts';
import { addFleetOptions, type ExperimentFleetOptions, taskPoolHelp, withTaskPool, workerCount } from './experiment-fleet.ts';
import { defaultWorkerCount } from '../pool/pool.ts';
import { deepPlateauMarkdown, writeDeepPlateau } from '../study/deep-plateau-report.ts';
import { commandLine, ExperimentOutput } from '../experiments/output.ts';
import { fmt } from '../report/markdown-table.ts';
import { METHOD_NAMES, type MethodName } from '../study/design.ts';
import { MODULE_BUILD_NAMES, type ModuleBuild } from '../wasm/builds.ts';
import { parseChoice, parseChoiceList, parseIntOption } from './experiment-options.ts';
import { MODULE_OPTION_HELP } from './experiment-module.ts';
import { addResumeOption, experimentExitCodes, openFinishedRuns } from './experiment-resume.ts';
import { plainRunCodec } from '../experiments/finished-runs.ts';

interface DeepCliOptions extends ExperimentFleetOptions {
  quick?: boolean;
  workers?: number;
  module: ModuleBuild;
  methods?: MethodName[];
  seeds?: number;
  out: string;
  resume?: boolean;
}

export function registerDeepPlateau(experiment: Command): void {
  const deep = experiment
    .command('deep-plateau')
    .description('Var[∂C/∂θ₁] vs depth against the exact 2-design value (McClean, hea), then escape rate vs n for every method')
    .option('--module <build>', MODULE_OPTION_HELP, parseChoice(MODULE_BUILD_NAMES), 'host')
    .option('--methods <list>', `methods (default: all of ${METHOD_NAMES.join(',')})`, parseChoiceList(METHOD_NAMES))
    .option('--seeds <n>', 'evaluation seeds per method and n', parseIntOption(2, 1000))
    .option('--workers <n>', `worker threads (default: ${defaultWorkerCount()}, every core)`, parseIntOption(1, 256))
    .option('--quick', 'small run for tests (seconds)')
    .option('-o, --out <dir>', 'output folder', 'runs/deep-plateau');
  addFleetOptions(deep, taskPoolHelp("unit (a scan point's gradient batch, an escape run)")).action(async (o: DeepCliOptions) => {
    const base = o.quick ? DEEP_PLATEAU_QUICK : DEEP_PLATEAU_FULL;
    const escapeOpts = {
      ...base.escape,
      methods: o.methods ?? base.escape.methods,
      evaluationSeeds: o.seeds ? Array.from({ length: o.seeds }, (_, i) => i + 1) : base.escape.evaluationSeeds,
    };
    const finished = openFinishedRuns(o.out, o.resume, plainRunCodec<DeepUnit>());
    const out = new ExperimentOutput(o.out);
    out.text('command.txt', `${commandLine()}\n`);
    const result = await withTaskPool<DeepTask, DeepUnit, DeepPlateauResult>(o, 'deep-plateau', deepUnitLabel, (pool) =>
      runDeepPlateau(
        { ...base, escape: escapeOpts, build: o.module, workers: workerCount(o) },
        (label, done, total) => {
          process.stderr.write(`${label}${total > 1 ? ` ${done}/${total}` : ''}\n`);
        },
        finished,
        pool,
      ),
    );
    writeDeepPlateau(result, out);
    process.stdout.write(
      `${deepPlateauMarkdown(result)}\n\nwall time ${fmt(result.wallTimeS / 60, 3)} min; wrote ${out.files.length} files to ${out.dir}\n`,
    );
  });
  addResumeOption(deep, "unit (a scan point's gradient batch or an escape run)", 'units').addHelpText(
    'after',
    experimentExitCodes('a gradient batch or an escape run failed in its worker thread or on a worker of the fleet', 'units', {
      fleet: true,
    }),
  );
}

const deepUnitLabel = (t: DeepTask) =>
  t.kind === 'gradients'
    ? `gradient batch ${t.ansatz} ${t.cost} n=${t.qubits} L=${t.layers} seeds ${t.from}..${t.to - 1}`
    : `${t.method} escape run n=${t.cfg.qubits} L=${t.cfg.layers} seed ${t.cfg.seed}`;
