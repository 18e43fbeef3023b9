// Runs one method on one seed and measures it: a plain run, layerwise training (Skolik
// et al. 2021, phase 1 + a final all-parameter phase) or random restarts on one budget.
import { parseConfig } from '../config/load.ts';
import type { RunConfig } from '../config/schema.ts';
import { openSession, type Session } from '../experiments/session.ts';
import { methodConfig, STUDY_SHOT_BUDGET, type Hyper, type MethodName, type StudyLoss, type StudyTaskName } from './design.ts';

const STATUS_OK = 0;
const STATUS_BUDGET = 2;
/** Steps cap of one phase: SPSA spends the budget in ~1 700 steps; never reached otherwise. */
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
}

export interface RunMetrics {
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
}

interface Phase {
  steps: number;
  negative: number;
  shots: number;
  lastLosses: number[];
  numeric: boolean;
}

function runPhase(session: Session): Phase {
  const phase: Phase = { steps: 0, negative: 0, shots: 0, lastLosses: [], numeric: false };
  for (let t = 0; t < MAX_STEPS; t++) {
    const s = session.step();
    if (s.status === STATUS_BUDGET) break;
    phase.steps++;
    phase.shots = Number(s.shotsTotal);
    if (s.phase === 1) phase.negative++;
    phase.lastLosses.push(s.loss);
    if (phase.lastLosses.length > RESTART_SELECTION_STEPS) phase.lastLosses.shift();
    if (s.status !== STATUS_OK) {
      phase.numeric = true;
      break;
    }
  }
  return phase;
}

const withBudget = (cfg: RunConfig, budget: number, patch: object = {}): RunConfig =>
  parseConfig({ ...cfg, ...patch, shots: { ...cfg.shots, budget: Math.max(1, Math.round(budget)) } }, 'study phase');

/** Outputs of every sample (training, then test) at the session's current θ. */
function outputs(session: Session, samples: number): number[] {
  return Array.from({ length: samples }, (_, i) => session.output(i));
}

/** Exact, shot-free twin of cfg at θ (full training set) for the final measurements. */
async function exactSession(cfg: RunConfig, theta: readonly number[]): Promise<Session> {
  return openSession(
    parseConfig(
      { ...cfg, batch: 0, train_from: 0, shots: { per_eval: 0, budget: 0 }, optimizer: { ...cfg.optimizer, perturb: 0 } },
      'study exact',
    ),
    theta,
  );
}

export async function runMethod(t: RunTask): Promise<RunMetrics> {
  const budget = STUDY_SHOT_BUDGET * t.budgetScale;
  const cfg = methodConfig(t.task, t.loss, t.method, t.hyper, t.seed, budget);
  const phases: Phase[] = [];
  let theta0: number[];
  let theta: number[];
  if (t.method === 'layerwise') {
    ({ theta0, theta } = await layerwise(cfg, budget, phases));
  } else if (t.method === 'restarts') {
    ({ theta0, theta } = await restarts(cfg, budget, t.hyper.restarts, phases));
  } else {
    const session = await openSession(cfg);
    theta0 = Array.from(session.params());
    phases.push(runPhase(session));
    theta = Array.from(session.params());
  }
  return measure(cfg, theta0, theta, phases);
}

/**
 * Phase 1: layer l = 1 … L is added with zero angles (layer 1: the seed's uniform θ₀) and
 * trained alone on budget/(2L); phase 2 trains every parameter on the rest.
 */
async function layerwise(cfg: RunConfig, budget: number, phases: Phase[]) {
  const perLayer = 2 * cfg.qubits;
  let theta: number[] = [];
  let theta0: number[] = [];
  for (let l = 1; l <= cfg.layers; l++) {
    const phaseCfg = withBudget(cfg, budget / (2 * cfg.layers), { layers: l, train_from: (l - 1) * perLayer });
    const start = l === 1 ? undefined : [...theta, ...new Array<number>(perLayer).fill(0)];
    const session = await openSession(phaseCfg, start);
    if (l === 1) theta0 = [...Array.from(session.params()), ...new Array<number>(perLayer * (cfg.layers - 1)).fill(0)];
    phases.push(runPhase(session));
    theta = Array.from(session.params());
  }
  const spent = phases.reduce((s, p) => s + p.shots, 0);
  const session = await openSession(withBudget(cfg, budget - spent), theta);
  phases.push(runPhase(session));
  return { theta0, theta: Array.from(session.params()) };
}

/** R runs from different θ₀ (the first is the seed's own) on budget/R each. */
async function restarts(cfg: RunConfig, budget: number, count: number, phases: Phase[]) {
  let best = { score: Infinity, theta0: [] as number[], theta: [] as number[] };
  for (let r = 0; r < count; r++) {
    const session = await openSession(withBudget(cfg, budget / count, { seed: cfg.seed + 1_000_000 * r }));
    const theta0 = Array.from(session.params());
    const phase = runPhase(session);
    phases.push(phase);
    const score = phase.lastLosses.reduce((a, b) => a + b, 0) / Math.max(1, phase.lastLosses.length);
    if (score < best.score || best.theta.length === 0) best = { score, theta0, theta: Array.from(session.params()) };
  }
  // MSD and function distance are measured from the chosen restart's own θ₀.
  return { theta0: best.theta0, theta: best.theta };
}

async function measure(cfg: RunConfig, theta0: number[], theta: number[], phases: Phase[]): Promise<RunMetrics> {
  const start = await exactSession(cfg, theta0);
  const samples = (() => {
    let i = 0;
    while (Number.isFinite(start.output(i))) i++;
    return i;
  })();
  const g0 = start.gradient();
  const f0 = outputs(start, samples);
  const end = await exactSession(cfg, theta);
  const f1 = outputs(end, samples);
  let msdLive = 0;
  let msdAll = 0;
  theta.forEach((v, j) => {
    const d2 = (v - theta0[j]) ** 2;
    msdAll += d2;
    if (Math.abs(g0[j]) >= DEAD_GRADIENT) msdLive += d2;
  });
  const fd = Math.sqrt(f0.reduce((s, v, i) => s + (f1[i] - v) ** 2, 0) / samples);
  const steps = phases.reduce((s, p) => s + p.steps, 0);
  return {
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
