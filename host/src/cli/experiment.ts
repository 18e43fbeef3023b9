// qiot-command: 140 experiment — reproduce the barren-plateau, local-vs-global and NLR results, and the optimizer study
// `qiot experiment …`: the reproductions of docs/results/, each with --quick (seconds) and a full
// mode (minutes): local-global and nlr here; study, deep-plateau and barren-plateau in
// experiment-{study,deep,barren}.ts.
import type { Command } from 'commander';
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
import { fmt } from '../report/markdown-table.ts';
import { parseChoice, parseChoiceList, parseIntOption } from './experiment-options.ts';
import { registerDeepPlateau } from './experiment-deep.ts';
import { registerStudy } from './experiment-study.ts';
import { addFleetOptions, type ExperimentFleetOptions, withFleet } from './experiment-fleet.ts';
import { finish, openOutput, progressBar } from './experiment-progress.ts';
import { registerBarrenPlateau } from './experiment-barren.ts';

export function register(program: Command): void {
  const experiment = program
    .command('experiment')
    .description('reproduce the barren-plateau, local-vs-global and NLR results, and the optimizer study');
  registerStudy(experiment);
  registerDeepPlateau(experiment);
  registerBarrenPlateau(experiment);

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
