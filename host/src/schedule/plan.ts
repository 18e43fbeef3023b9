// The segments of a scheduled run (docs/config.md "Schedules"): each one an ordinary run
// of the module with its own config, optionally started from θ given by the host. Pure:
// a generator that is told how each segment ended and yields the next.
//
// layerwise (Skolik et al. 2021): the L layers are added in G groups; group g trains only
// its new layers (train_from at the first of them), starting from the previous group's θ
// with the new layers at zero angles (the first group: the module's seeded θ₀). With the
// final phase each group gets 1/(2G) of the steps and shots and a last segment trains every
// parameter on what is left; without it the last group gets the rest.
// restarts: `count` runs from seeds seed + r·stride, restart r on ⌊(r+1)B/k⌋ − ⌊rB/k⌋ of
// the steps and of the shot budget B (so they sum to the single run's budget exactly); the
// one with the lowest mean of its last `select_last` mini-batch losses is kept.
import { parseConfig } from '../config/load.ts';
import { parameterCount } from '../config/cross-rules.ts';
import { HOST_BUILD_LIMITS } from '../config/limits.ts';
import { layerGroups, SCHEDULE_LIMITS } from '../config/schedule.ts';
import type { RunConfig } from '../config/schema.ts';
import { PARAMS_PER_QUBIT_LAYER } from '../wasm/abi.ts';

export type SegmentRole = 'layers' | 'final' | 'restart';

export interface SegmentPlan {
  index: number;
  role: SegmentRole;
  /** The segment's own run config: no schedule, steps = its step share, shots.budget = its shot share. */
  config: RunConfig;
  /** θ written after init() (config.init is then 'host'); absent: the module's seeded θ₀. */
  start?: number[];
}

export interface SegmentEnd {
  steps: number;
  shots: number;
  /** θ at the end of the segment (needed to carry it into the next layerwise segment). */
  params?: ArrayLike<number>;
}

export interface Budget {
  steps: number;
  /** 0 in exact mode (no shots are charged). */
  shots: number;
}

/** ⌊(i+1)·total/parts⌋ − ⌊i·total/parts⌋: `parts` integer shares summing to `total` exactly. */
export const share = (total: number, parts: number, i: number): number =>
  Math.floor(((i + 1) * total) / parts) - Math.floor((i * total) / parts);

/** cfg without its schedule, with a budget and other fields patched (re-validated: never larger than cfg). */
function segmentConfig(cfg: RunConfig, budget: Budget, patch: Partial<RunConfig>): RunConfig {
  const { schedule: _, ...plain } = cfg;
  return parseConfig(
    {
      ...plain,
      ...patch,
      steps: budget.steps,
      shots: { ...cfg.shots, budget: cfg.shots.per_eval === 0 ? 0 : Math.max(1, budget.shots) },
    },
    `segment of the ${cfg.schedule?.kind} schedule`,
    HOST_BUILD_LIMITS,
  );
}

export function* planSegments(cfg: RunConfig): Generator<SegmentPlan, void, SegmentEnd> {
  const s = cfg.schedule;
  const total: Budget = { steps: cfg.steps, shots: cfg.shots.budget };
  if (!s) {
    yield { index: 0, role: 'final', config: cfg };
  } else if (s.kind === 'restarts') {
    // The data set stays the run's: its seed defaults to the run's seed, which each restart changes.
    const dataset = cfg.dataset.name === 'none' ? cfg.dataset : { ...cfg.dataset, seed: cfg.dataset.seed ?? cfg.seed };
    for (let r = 0; r < s.count; r++) {
      const budget = { steps: share(total.steps, s.count, r), shots: share(total.shots, s.count, r) };
      const seed = cfg.seed + SCHEDULE_LIMITS.restartSeedStride * r;
      yield { index: r, role: 'restart', config: segmentConfig(cfg, budget, { seed, dataset }) };
    }
  } else {
    yield* layerwise(cfg, layerGroups(cfg.layers, s), s.final_phase, total);
  }
}

function* layerwise(cfg: RunConfig, groups: number, finalPhase: boolean, total: Budget): Generator<SegmentPlan, void, SegmentEnd> {
  const perLayer = PARAMS_PER_QUBIT_LAYER[cfg.ansatz] * cfg.qubits;
  const parts = finalPhase ? 2 * groups : groups;
  const groupShare: Budget = { steps: Math.floor(total.steps / parts), shots: Math.round(total.shots / parts) };
  const spent: Budget = { steps: 0, shots: 0 };
  const rest = (): Budget => ({ steps: total.steps - spent.steps, shots: total.shots - spent.shots });
  let theta: number[] = [];
  let layers = 0;
  for (let g = 0; g < groups; g++) {
    const added = Math.round(((g + 1) * cfg.layers) / groups) - layers;
    const last = g === groups - 1 && !finalPhase;
    const patch = { layers: layers + added, train_from: layers * perLayer, ...(g > 0 ? { init: 'host' as const } : {}) };
    const start = g === 0 ? undefined : [...theta, ...new Array<number>(added * perLayer).fill(0)];
    const end = yield {
      index: g,
      role: last ? 'final' : 'layers',
      config: segmentConfig(cfg, last ? rest() : groupShare, patch),
      ...(start ? { start } : {}),
    };
    spent.steps += end.steps;
    spent.shots += end.shots;
    theta = carried(end, g);
    layers += added;
  }
  if (finalPhase) {
    yield { index: groups, role: 'final', config: segmentConfig(cfg, rest(), { init: 'host', train_from: 0 }), start: theta };
  }
}

/**
 * The size of the θ each segment of cfg's plan starts from (0: the module's own θ₀), without running it: one entry
 * per segment. What a target must take (TrainingTarget.startParamsLimit) before the run may begin.
 */
export function segmentStarts(cfg: RunConfig): number[] {
  if (!cfg.schedule) return [0];
  const out: number[] = [];
  const plan = planSegments(cfg);
  for (let next = plan.next(); !next.done; ) {
    const seg = next.value;
    out.push(seg.start?.length ?? 0);
    const params = new Array<number>(parameterCount(seg.config)).fill(0);
    next = plan.next({ steps: seg.config.steps, shots: seg.config.shots.budget, params });
  }
  return out;
}

function carried(end: SegmentEnd, index: number): number[] {
  if (!end.params) throw new Error(`layerwise schedule: segment ${index} ended without θ to carry into the next one`);
  return Array.from(end.params);
}

/** The kept restart: lowest mean of its last losses (NaN never wins; ties and all-NaN keep the first). */
export function selectRestart(lastLosses: readonly (readonly number[])[]): number {
  let best = 0;
  let bestScore = Infinity;
  lastLosses.forEach((losses, r) => {
    const score = restartScore(losses);
    if (score < bestScore) {
      best = r;
      bestScore = score;
    }
  });
  return best;
}

export const restartScore = (losses: readonly number[]): number => losses.reduce((a, b) => a + b, 0) / Math.max(1, losses.length);
