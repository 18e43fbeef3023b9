// Runs one method on one seed and measures it: a plain run, layerwise training (Skolik
// et al. 2021, phase 1 + a final all-parameter phase), random restarts on one budget, or
// perturbed GD whose noise is matched to an NLR run of the same config and seed. Layerwise
// and restarts are the run config's `schedule` and matched σ is host/src/schedule/
// matched-perturb.ts: every run goes through runTraining on the module, exactly as
// `qiot sim` runs the same config (schedule.test.ts checks it bit for bit).
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { parseConfig } from '../config/load.ts';
import { limitsOfBuild } from '../config/limits.ts';
import type { RunConfig } from '../config/schema.ts';
import { openSession, type Session } from '../experiments/session.ts';
import type { StepRecord, SummaryRecord } from '../runlog/schema.ts';
import { matchedSigmaOfSteps } from '../schedule/matched-perturb.ts';
import type { Budget } from '../schedule/plan.ts';
import { ModuleTarget, type ModuleImage } from '../train/module-target.ts';
import { runTraining } from '../train/run.ts';
import type { TrainingTarget } from '../train/target.ts';
import { QIOT_VERSION } from '../version.ts';
import { moduleBuildPath, type ModuleBuild } from '../wasm/builds.ts';
import { methodConfig, nlrConfig, STUDY_SHOT_BUDGET, type Hyper, type MethodName, type StudyLoss, type StudyTaskName } from './design.ts';

export type { Budget } from '../schedule/plan.ts';

/** Steps cap of a run: SPSA spends the budget in ~1 700 steps; never reached otherwise. */
const MAX_STEPS = 100_000;
/** |∂L/∂θⱼ| at θ₀ (exact, whole training set) below this counts as a dead parameter. */
export const DEAD_GRADIENT = 1e-6;
/** Restarts keep the run whose last few shot-estimated mini-batch losses (already paid for) are lowest. */
const RESTART_SELECTION_STEPS = 5;

export interface RunTask {
  task: StudyTaskName;
  loss: StudyLoss;
  method: MethodName;
  hyper: Hyper;
  seed: number;
  budgetScale: number;
  build?: ModuleBuild;
}

export interface RunMetrics {
  /** Exact training loss at θ₀. */
  initialLoss: number;
  trainLoss: number;
  testLoss: number;
  trainAccuracy: number;
  testAccuracy: number;
  /** ‖θ − θ₀‖² over the parameters with a non-zero gradient at θ₀. */
  msdLive: number;
  /** ‖θ − θ₀‖² over all parameters. */
  msdAll: number;
  /** RMS over training and test samples of f_final(x) − f₀(x), f = the model output in [−1, 1]. */
  functionDistance: number;
  steps: number;
  shots: number;
  negativeFraction: number;
  numeric: boolean;
  /** perturbed-matched: the σ matched to the NLR pilot run. */
  matchedSigma?: number;
}

/** One method on a prepared config (methodConfig or its twin for other models). */
export interface ConfiguredRun {
  cfg: RunConfig;
  method: MethodName;
  hyper: Hyper;
  build: ModuleBuild;
  budget: Budget;
}

export async function runMethod(t: RunTask): Promise<RunMetrics> {
  const shots = STUDY_SHOT_BUDGET * t.budgetScale;
  const cfg = methodConfig(t.task, t.loss, t.method, t.hyper, t.seed, shots);
  return runConfigured({ cfg, method: t.method, hyper: t.hyper, build: t.build ?? 'device', budget: { shots, steps: MAX_STEPS } });
}

/**
 * The run config of a method: cfg with the budget (steps; shots left at 0 in exact mode)
 * and, for layerwise and restarts, the schedule. What `qiot sim` runs for the same method.
 */
export function scheduledConfig(cfg: RunConfig, method: MethodName, hyper: Hyper, budget: Budget, build: ModuleBuild): RunConfig {
  const schedule =
    method === 'layerwise'
      ? { kind: 'layerwise', final_phase: true }
      : method === 'restarts'
        ? { kind: 'restarts', count: hyper.restarts, select_last: RESTART_SELECTION_STEPS }
        : undefined;
  return parseConfig(
    {
      ...cfg,
      steps: budget.steps,
      shots: { ...cfg.shots, budget: cfg.shots.per_eval === 0 ? 0 : Math.max(1, Math.round(budget.shots)) },
      ...(schedule ? { schedule } : {}),
    },
    `study ${method} run`,
    limitsOfBuild(build),
  );
}

export async function runConfigured({ cfg, method, hyper, build, budget }: ConfiguredRun): Promise<RunMetrics> {
  let run = scheduledConfig(cfg, method, hyper, budget, build);
  let sigma: number | undefined;
  if (method === 'perturbed-matched') {
    sigma = await matchedSigma(cfg, hyper, budget, build);
    run = parseConfig({ ...run, optimizer: { ...run.optimizer, perturb: sigma } }, 'study perturbed-matched run', limitsOfBuild(build));
  }
  const { steps, summary, starts } = await trainOnModule(run, build);
  if (summary.status === 'trap' || summary.status === 'failed') throw new Error(`study run ${summary.status}: ${summary.error}`);
  const theta = (summary.params ?? []).map((v) => v ?? NaN);
  // θ₀ the run moved from: layerwise, the first group's seeded θ with the later layers at 0;
  // restarts, the kept restart's own θ₀ (MSD and function distance are measured from it).
  const start = starts[summary.schedule?.selected ?? 0]!;
  const theta0 = [...start, ...new Array<number>(theta.length - start.length).fill(0)];
  const negative = steps.filter((s) => s.phase === '-').length;
  return {
    ...(await measure(cfg, theta0, theta, build)),
    steps: steps.length,
    shots: summary.shots_used,
    negativeFraction: steps.length === 0 ? 0 : negative / steps.length,
    numeric: summary.status === 'numeric',
    ...(sigma !== undefined ? { matchedSigma: sigma } : {}),
  };
}

/**
 * σ of perturbed GD matched to NLR on the same config and seed: a pilot run of periodic NLR
 * with this method's η, ρ and k; σ from its ascent steps (matched-perturb.ts). The pilot's
 * shots are calibration and not charged to the matched run.
 */
export async function matchedSigma(cfg: RunConfig, hyper: Hyper, budget: Budget, build: ModuleBuild): Promise<number> {
  const pilot = parseConfig({ ...cfg, optimizer: nlrConfig('periodic', hyper) }, 'study NLR pilot', limitsOfBuild(build));
  const { steps, summary } = await trainOnModule(scheduledConfig(pilot, 'nlr-periodic', hyper, budget, build), build);
  return matchedSigmaOfSteps(steps, summary.param_count ?? 0);
}

const images = new Map<ModuleBuild, ModuleImage>();

/** Thousands of runs share one read of each module file. */
function imageOf(build: ModuleBuild): ModuleImage {
  let image = images.get(build);
  if (!image) {
    const path = moduleBuildPath(build);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(readFileSync(path));
    } catch {
      throw new Error(`cannot read ${path}: build it first with \`make runtime\``);
    }
    image = { path, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
    images.set(build, image);
  }
  return image;
}

/** cfg through runTraining on the module in this thread (as `qiot sim`), with θ at the start of every segment. */
export async function trainOnModule(
  cfg: RunConfig,
  build: ModuleBuild,
): Promise<{ steps: StepRecord[]; summary: SummaryRecord; starts: number[][] }> {
  const module = new ModuleTarget(imageOf(build));
  const starts: number[][] = [];
  const target: TrainingTarget = {
    identity: () => module.identity(),
    configure: (config, dataset) => module.configure(config, dataset),
    setStartParams: (theta) => module.setStartParams(theta),
    train: (steps, onStep) => {
      starts.push(Array.from(module.initialParameters()));
      return module.train(steps, onStep);
    },
    stop: () => module.stop(),
  };
  const { steps, summary } = await runTraining(target, cfg, { qiotVersion: QIOT_VERSION, sinks: [] });
  return { steps, summary, starts };
}

/** Outputs of every sample (training, then test) at the session's current θ. */
function outputs(session: Session, samples: number): number[] {
  return Array.from({ length: samples }, (_, i) => session.output(i));
}

/** Exact, shot-free twin of cfg at θ (full training set) for the final measurements. */
async function exactSession(cfg: RunConfig, theta: readonly number[], build: ModuleBuild): Promise<Session> {
  return openSession(
    parseConfig(
      { ...cfg, batch: 0, train_from: 0, shots: { per_eval: 0, budget: 0 }, optimizer: { ...cfg.optimizer, perturb: 0 } },
      'study exact',
      limitsOfBuild(build),
    ),
    theta,
    build,
  );
}

type Measured = Omit<RunMetrics, 'steps' | 'shots' | 'negativeFraction' | 'numeric' | 'matchedSigma'>;

async function measure(cfg: RunConfig, theta0: number[], theta: number[], build: ModuleBuild): Promise<Measured> {
  const start = await exactSession(cfg, theta0, build);
  const samples = (() => {
    let i = 0;
    while (Number.isFinite(start.output(i))) i++;
    return i;
  })();
  const g0 = start.gradient();
  const f0 = outputs(start, samples);
  const end = await exactSession(cfg, theta, build);
  const f1 = outputs(end, samples);
  let msdLive = 0;
  let msdAll = 0;
  theta.forEach((v, j) => {
    const d2 = (v - theta0[j]) ** 2;
    msdAll += d2;
    if (Math.abs(g0[j]) >= DEAD_GRADIENT) msdLive += d2;
  });
  const fd = samples === 0 ? 0 : Math.sqrt(f0.reduce((s, v, i) => s + (f1[i] - v) ** 2, 0) / samples);
  return {
    initialLoss: start.evaluate(0),
    trainLoss: end.evaluate(0),
    testLoss: end.evaluate(1),
    trainAccuracy: end.accuracy(0),
    testAccuracy: end.accuracy(1),
    msdLive,
    msdAll,
    functionDistance: fd,
  };
}
