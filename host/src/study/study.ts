// Runs the study: for every (task, loss) setting, tune every method on the tuning seeds
// with the same random-search budget, then run each method's chosen configuration on the
// evaluation seeds (disjoint from the tuning seeds); all runs go through a pool: worker threads
// here, or the fleet's workers (fleet/task-pool.ts) when one is given.
// Each run is one unit of <out>/finished-runs.jsonl (experiments/finished-runs.ts), keyed by
// its whole task: recorded on this thread the moment its worker answers, read back on --resume.
import { loadDataset } from '../data/load.ts';
import { type FinishedRuns, runRecorded } from '../experiments/finished-runs.ts';
import { mapTasks, type TaskPool, WorkerPool } from '../pool/pool.ts';
import { TASK_KINDS } from '../pool/task-kinds.ts';
import { compare, summarise, type Comparison, type EvalRun, type MethodSummary } from './analysis.ts';
import { classicalBaseline, type ClassicalBaseline } from './classical.ts';
import { methodConfig, type MethodName, type StudyLoss, type StudyOptions, type StudyTaskName } from './design.ts';
import type { RunMetrics, RunTask } from './methods.ts';
import { tuneMethod, type Tuning } from './tuning.ts';

export interface SettingTuning {
  task: StudyTaskName;
  loss: StudyLoss;
  tunings: Tuning[];
}

export interface StudyResult {
  options: StudyOptions;
  classical: Record<string, ClassicalBaseline>;
  tuning: SettingTuning[];
  runs: EvalRun[];
  summaries: MethodSummary[];
  comparisons: Comparison[];
  wallTimeS: number;
}

export type StudyProgress = (label: string, done: number, total: number) => void;
/** Called with the result so far after every (task, loss) setting, so an interrupted study keeps what completed. */
export type StudyCheckpoint = (partial: StudyResult) => void;

function resultOf(
  opts: StudyOptions,
  classical: StudyResult['classical'],
  tuning: SettingTuning[],
  runs: EvalRun[],
  started: number,
): StudyResult {
  return {
    options: opts,
    classical,
    tuning: [...tuning],
    runs: [...runs],
    summaries: summarise(runs, opts.bootstrapResamples),
    comparisons: compare(runs, opts.bootstrapResamples),
    wallTimeS: (performance.now() - started) / 1000,
  };
}

/**
 * `finished`: runs are recorded there as they end, and runs it already holds are not run again (--resume).
 * `pool`: where the runs go (the caller closes it); default: opts.workers threads of this process.
 */
export async function runStudy(
  opts: StudyOptions,
  onProgress?: StudyProgress,
  onSetting?: StudyCheckpoint,
  finished?: FinishedRuns<RunMetrics>,
  given?: TaskPool<RunTask, RunMetrics>,
): Promise<StudyResult> {
  const started = performance.now();
  const pool = given ?? new WorkerPool<RunTask, RunMetrics>(TASK_KINDS.study, opts.workers);
  const runOne = runRecorded((t: RunTask) => pool.run(t), finished);
  try {
    const classical: Record<string, ClassicalBaseline> = {};
    for (const task of opts.tasks) {
      classical[task] = classicalBaseline(loadDataset(methodConfig(task, 'class-sq', 'sgd', { lr: 1 }, 1, 1))!);
    }
    const tuning: SettingTuning[] = [];
    const runs: EvalRun[] = [];
    // Losses outermost: an interrupted study has every task of the first loss.
    for (const loss of opts.losses) {
      for (const task of opts.tasks) {
        const label = `${task} ${loss}`;
        let done = 0;
        const firstRound = opts.methods.length * opts.configsPerMethod * opts.tuningSeeds.length;
        const tunings = await Promise.all(
          opts.methods.map((method, m) =>
            tuneMethod(method, opts.configsPerMethod, opts.maxWidenings, 100 * (m + 1), async (name, configs) => {
              const tasks = configs.flatMap((hyper) =>
                opts.tuningSeeds.map(
                  (seed): RunTask => ({ task, loss, method: name, hyper, seed, budgetScale: opts.budgetScale, build: opts.build }),
                ),
              );
              const results = await Promise.all(
                tasks.map((t) =>
                  runOne(t).then((r) => {
                    onProgress?.(`tune ${label}`, ++done, firstRound);
                    return r;
                  }),
                ),
              );
              return configs.map((_, i) =>
                results.slice(i * opts.tuningSeeds.length, (i + 1) * opts.tuningSeeds.length).map((r) => r.trainLoss),
              );
            }),
          ),
        );
        tuning.push({ task, loss, tunings });
        const evalTasks = tunings.flatMap((t) =>
          opts.evaluationSeeds.map(
            (seed): RunTask => ({
              task,
              loss,
              method: t.method,
              hyper: t.chosen.hyper,
              seed,
              budgetScale: opts.budgetScale,
              build: opts.build,
            }),
          ),
        );
        const metrics = await mapTasks(evalTasks, runOne, (d, n) => onProgress?.(`evaluate ${label}`, d, n));
        metrics.forEach((r, i) => {
          runs.push({ ...r, task, loss, method: evalTasks[i].method as MethodName, seed: evalTasks[i].seed });
        });
        onSetting?.(resultOf(opts, classical, tuning, runs, started));
      }
    }
    return resultOf(opts, classical, tuning, runs, started);
  } finally {
    if (!given) await pool.close();
  }
}
