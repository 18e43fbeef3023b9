// `qiot experiment study`: the optimizer study of docs/results/study/ on a worker-thread pool,
// or with --broker/--threads on the fleet's workers (each run one `task`).
import type { Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { commandLine, ExperimentOutput } from '../experiments/output.ts';
import { defaultWorkerCount } from '../pool/pool.ts';
import { fmt } from '../report/markdown-table.ts';
import { verdict } from '../study/analysis.ts';
import {
  METHOD_NAMES,
  STUDY_FULL,
  STUDY_LOSSES,
  STUDY_QUICK,
  STUDY_TASK_NAMES,
  type MethodName,
  type StudyLoss,
  type StudyTaskName,
} from '../study/design.ts';
import { writeStudy } from '../study/report.ts';
import { runStudy, type StudyResult } from '../study/study.ts';
import { MODULE_BUILD_NAMES, type ModuleBuild } from '../wasm/builds.ts';
import { parseChoice, parseChoiceList, parseIntOption } from './experiment-options.ts';
import { MODULE_OPTION_HELP } from './experiment-module.ts';
import { addResumeOption, experimentExitCodes, openFinishedRuns } from './experiment-resume.ts';
import { plainRunCodec } from '../experiments/finished-runs.ts';
import type { RunMetrics, RunTask } from '../study/methods.ts';
import { addFleetOptions, type ExperimentFleetOptions, taskPoolHelp, withTaskPool, workerCount } from './experiment-fleet.ts';

interface StudyCliOptions extends ExperimentFleetOptions {
  quick?: boolean;
  workers?: number;
  tasks?: StudyTaskName[];
  losses?: StudyLoss[];
  methods?: MethodName[];
  seeds?: number;
  module: ModuleBuild;
  out: string;
  resume?: boolean;
}

export function registerStudy(experiment: Command): void {
  const study = experiment
    .command('study')
    .description(
      'every method (NLR variants, SGD, Momentum, Adam, SPSA, mitigations) tuned with one budget, 50 paired seeds, Wilcoxon + Holm',
    )
    .option('--tasks <list>', `tasks (default: ${STUDY_TASK_NAMES.join(',')})`, parseChoiceList(STUDY_TASK_NAMES))
    .option('--losses <list>', `losses (default: ${STUDY_LOSSES.join(',')})`, parseChoiceList(STUDY_LOSSES))
    .option('--methods <list>', `methods (default: all of ${METHOD_NAMES.join(',')})`, parseChoiceList(METHOD_NAMES))
    .option('--seeds <n>', 'evaluation seeds (default 50)', parseIntOption(2, 1000))
    .option('--workers <n>', `worker threads (default: ${defaultWorkerCount()}, every core)`, parseIntOption(1, 256))
    .option('--module <build>', MODULE_OPTION_HELP, parseChoice(MODULE_BUILD_NAMES), 'device')
    .option('--quick', 'small run for tests (seconds)')
    .option('-o, --out <dir>', 'output folder', 'runs/study');
  addFleetOptions(study, taskPoolHelp("training run (a method's whole run, phases and all)")).action(async (o: StudyCliOptions) => {
    const base = o.quick ? STUDY_QUICK : STUDY_FULL;
    const opts = {
      ...base,
      tasks: o.tasks ?? base.tasks,
      losses: o.losses ?? base.losses,
      methods: o.methods ?? base.methods,
      evaluationSeeds: o.seeds ? Array.from({ length: o.seeds }, (_, i) => i + 1) : base.evaluationSeeds,
      workers: workerCount(o),
      build: o.module,
    };
    const finished = openFinishedRuns(o.out, o.resume, plainRunCodec<RunMetrics>());
    const out = new ExperimentOutput(o.out);
    out.text('command.txt', `${commandLine()}\n`);
    const bar = new SingleBar({ format: '{label} [{bar}] {value}/{total}', stream: process.stderr }, Presets.shades_classic);
    let current = '';
    const result = await withTaskPool<RunTask, RunMetrics, StudyResult>(o, 'study', studyRunLabel, (pool) =>
      runStudy(
        opts,
        (label, done, total) => {
          if (label !== current) {
            if (current) bar.stop();
            bar.start(total, 0, { label });
            current = label;
          }
          bar.update(done, { label });
        },
        (partial) => writeStudy(partial, out),
        finished,
        pool,
      ),
    ).finally(() => {
      if (current) bar.stop();
    });
    writeStudy(result, out);
    const lines = result.comparisons
      .filter((c) => c.metric === 'trainLoss')
      .map(
        (c) =>
          `${c.task} ${c.loss} ${c.nlr} vs ${c.other}: ${verdict(c)} (mean lower by ${fmt(c.meanLowerPct, 2)} %, Holm p ${fmt(c.pHolm, 2)})`,
      );
    process.stdout.write(
      `${lines.join('\n')}\n\nwall time ${fmt(result.wallTimeS / 60, 3)} min; wrote ${out.files.length} files to ${out.dir}\n`,
    );
  });
  addResumeOption(study, 'training run (tuning or evaluation)', 'training runs').addHelpText(
    'after',
    experimentExitCodes('a training run failed in its worker thread or on a worker of the fleet', 'runs', { fleet: true }),
  );
}

const studyRunLabel = (t: RunTask) => `${t.method} on ${t.task} ${t.loss}, seed ${t.seed}, ${JSON.stringify(t.hyper)}`;
