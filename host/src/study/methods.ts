// Runs one method on one seed and measures it: a plain run, layerwise training (Skolik
// et al. 2021, phase 1 + a final all-parameter phase), random restarts on one budget, or
// perturbed GD whose noise is matched to an NLR run of the same config and seed.
import { parseConfig } from '../config/load.ts';
import { limitsOfBuild } from '../config/limits.ts';
import type { RunConfig } from '../config/schema.ts';
import { openSession, type Session } from '../experiments/session.ts';
import { PARAMS_PER_QUBIT_LAYER } from '../wasm/abi.ts';
import type { ModuleBuild } from '../wasm/builds.ts';
import { methodConfig, nlrConfig, STUDY_SHOT_BUDGET, type Hyper, type MethodName, type StudyLoss, type StudyTaskName } from './design.ts';

const STATUS_OK = 0;
const STATUS_BUDGET = 2;
/** Steps cap of one phase: SPSA spends the budget in ~1 700 steps; never reached otherwise. */
const MAX_STEPS = 100_000;
/** Layerwise training adds layers in at most this many groups (Skolik et al. add a few layers at a time). */
export const LAYERWISE_MAX_GROUPS = 8;
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

interface Phase {
  steps: number;
  negative: number;
  /** Σ ‖Δθ‖² over the negative-phase (ascent) steps. */
  negativeStepSquares: number;
  shots: number;
  lastLosses: number[];
  numeric: boolean;
}

/** What one run may spend: shots (0 = exact mode, no shot budget) and steps. */
export interface Budget {
  shots: number;
  steps: number;
}

const scaled = (b: Budget, f: number): Budget => ({ shots: b.shots * f, steps: Math.max(1, Math.floor(b.steps * f)) });

function runPhase(session: Session, maxSteps: number): Phase {
  const phase: Phase = { steps: 0, negative: 0, negativeStepSquares: 0, shots: 0, lastLosses: [], numeric: false };
  for (let t = 0; t < maxSteps; t++) {
    const s = session.step();
    if (s.status === STATUS_BUDGET) break;
    phase.steps++;
    phase.shots = Number(s.shotsTotal);
    if (s.phase === 1) {
      phase.negative++;
      phase.negativeStepSquares += s.stepNorm ** 2;
    }
    phase.lastLosses.push(s.loss);
    if (phase.lastLosses.length > RESTART_SELECTION_STEPS) phase.lastLosses.shift();
    if (s.status !== STATUS_OK) {
      phase.numeric = true;
      break;
    }
  }
  return phase;
}

/** cfg with a shot budget (left at 0 in exact mode, where no shots are charged) and a patch. */
const withBudget = (cfg: RunConfig, budget: Budget, build: ModuleBuild, patch: object = {}): RunConfig =>
  parseConfig(
    { ...cfg, ...patch, shots: { ...cfg.shots, budget: cfg.shots.per_eval === 0 ? 0 : Math.max(1, Math.round(budget.shots)) } },
    'study phase',
    limitsOfBuild(build),
  );

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

export async function runMethod(t: RunTask): Promise<RunMetrics> {
  const shots = STUDY_SHOT_BUDGET * t.budgetScale;
  const cfg = methodConfig(t.task, t.loss, t.method, t.hyper, t.seed, shots);
  return runConfigured({ cfg, method: t.method, hyper: t.hyper, build: t.build ?? 'device', budget: { shots, steps: MAX_STEPS } });
}

/** One method on a prepared config (methodConfig or its twin for other models). */
export interface ConfiguredRun {
  cfg: RunConfig;
  method: MethodName;
  hyper: Hyper;
  build: ModuleBuild;
  budget: Budget;
}

export async function runConfigured({ cfg, method, hyper, build, budget }: ConfiguredRun): Promise<RunMetrics> {
  const phases: Phase[] = [];
  let theta0: number[];
  let theta: number[];
  let sigma: number | undefined;
  if (method === 'layerwise') {
    ({ theta0, theta } = await layerwise(cfg, budget, build, phases));
  } else if (method === 'restarts') {
    ({ theta0, theta } = await restarts(cfg, budget, hyper.restarts, build, phases));
  } else {
    let run = cfg;
    if (method === 'perturbed-matched') {
      sigma = await matchedSigma(cfg, hyper, budget, build);
      run = withBudget(cfg, budget, build, { optimizer: { ...cfg.optimizer, perturb: sigma } });
    }
    const session = await openSession(run, undefined, build);
    theta0 = Array.from(session.params());
    phases.push(runPhase(session, budget.steps));
    theta = Array.from(session.params());
  }
  return { ...(await measure(cfg, theta0, theta, phases, build)), ...(sigma !== undefined ? { matchedSigma: sigma } : {}) };
}

/**
 * σ of perturbed GD matched to NLR on the same config and seed: a pilot run of periodic NLR
 * with this method's η, ρ and k records Σ‖Δθ‖² over its ascent steps; σ is chosen so that
 * N(0, σ²) per parameter on every step injects the same total, σ² = Σ‖Δθ_neg‖² / (P · T).
 * The pilot's shots are calibration and not charged to the matched run.
 */
export async function matchedSigma(cfg: RunConfig, hyper: Hyper, budget: Budget, build: ModuleBuild): Promise<number> {
  const pilot = await openSession(withBudget(cfg, budget, build, { optimizer: nlrConfig('periodic', hyper) }), undefined, build);
  const phase = runPhase(pilot, budget.steps);
  return phase.steps === 0 ? 0 : Math.sqrt(phase.negativeStepSquares / (pilot.paramCount * phase.steps));
}

/**
 * Phase 1: the layers are added in G = min(L, LAYERWISE_MAX_GROUPS) groups with zero angles
 * (the first group: the seed's uniform θ₀), each group trained alone on budget/(2G);
 * phase 2 trains every parameter on the rest.
 */
async function layerwise(cfg: RunConfig, budget: Budget, build: ModuleBuild, phases: Phase[]) {
  const perLayer = PARAMS_PER_QUBIT_LAYER[cfg.ansatz] * cfg.qubits;
  const groups = Math.min(cfg.layers, LAYERWISE_MAX_GROUPS);
  const share = scaled(budget, 1 / (2 * groups));
  let theta: number[] = [];
  let theta0: number[] = [];
  let layers = 0;
  for (let g = 1; g <= groups; g++) {
    const added = Math.round((g * cfg.layers) / groups) - layers;
    const phaseCfg = withBudget(cfg, share, build, { layers: layers + added, train_from: layers * perLayer });
    const start = g === 1 ? undefined : [...theta, ...new Array<number>(added * perLayer).fill(0)];
    const session = await openSession(phaseCfg, start, build);
    if (g === 1) theta0 = [...Array.from(session.params()), ...new Array<number>(perLayer * (cfg.layers - added)).fill(0)];
    phases.push(runPhase(session, share.steps));
    theta = Array.from(session.params());
    layers += added;
  }
  const spent = phases.reduce((s, p) => s + p.shots, 0);
  const stepsSpent = phases.reduce((s, p) => s + p.steps, 0);
  const rest: Budget = { shots: budget.shots - spent, steps: Math.max(1, budget.steps - stepsSpent) };
  const session = await openSession(withBudget(cfg, rest, build), theta, build);
  phases.push(runPhase(session, rest.steps));
  return { theta0, theta: Array.from(session.params()) };
}

/** R runs from different θ₀ (the first is the seed's own) on budget/R each. */
async function restarts(cfg: RunConfig, budget: Budget, count: number, build: ModuleBuild, phases: Phase[]) {
  let best = { score: Infinity, theta0: [] as number[], theta: [] as number[] };
  const share = scaled(budget, 1 / count);
  for (let r = 0; r < count; r++) {
    const session = await openSession(withBudget(cfg, share, build, { seed: cfg.seed + 1_000_000 * r }), undefined, build);
    const theta0 = Array.from(session.params());
    const phase = runPhase(session, share.steps);
    phases.push(phase);
    const score = phase.lastLosses.reduce((a, b) => a + b, 0) / Math.max(1, phase.lastLosses.length);
    if (score < best.score || best.theta.length === 0) best = { score, theta0, theta: Array.from(session.params()) };
  }
  // MSD and function distance are measured from the chosen restart's own θ₀.
  return { theta0: best.theta0, theta: best.theta };
}

async function measure(cfg: RunConfig, theta0: number[], theta: number[], phases: Phase[], build: ModuleBuild): Promise<RunMetrics> {
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
  const steps = phases.reduce((s, p) => s + p.steps, 0);
  return {
    initialLoss: start.evaluate(0),
    trainLoss: end.evaluate(0),
    testLoss: end.evaluate(1),
    trainAccuracy: end.accuracy(0),
    testAccuracy: end.accuracy(1),
    msdLive,
    msdAll,
    functionDistance: fd,
    steps,
    shots: phases.reduce((s, p) => s + p.shots, 0),
    negativeFraction: steps === 0 ? 0 : phases.reduce((s, p) => s + p.negative, 0) / steps,
    numeric: phases.some((p) => p.numeric),
  };
}
