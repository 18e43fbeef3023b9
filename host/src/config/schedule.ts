// The run config's `schedule` block: training as a sequence of segments driven by the
// host (host/src/schedule/), each segment an ordinary run of the module. Only the shape
// and per-field rules are here; the rules that relate it to other fields are in
// cross-rules.ts, what the segments are in host/src/schedule/plan.ts.
import { z } from 'zod';
import type { Limits } from './limits.ts';
import { int } from './validators.ts';

export const SCHEDULE_KINDS = ['layerwise', 'restarts'] as const;

/** Every limit of a schedule, with its reason. */
export const SCHEDULE_LIMITS = {
  /** Layerwise default: layers are added in at most this many groups (Skolik et al. add a few layers at a time). */
  defaultLayerGroups: 8,
  /** Restarts: more than this many would leave each a sliver of the budget. */
  maxRestarts: 64,
  /** Restarts are told apart by the mean of their last few (already paid for) mini-batch losses; default count. */
  defaultSelectLast: 5,
  /** Restart r runs with seed + r · this, far from any seed a person types next to the first. */
  restartSeedStride: 1_000_000,
} as const;

export function scheduleShape(limits: Limits) {
  return z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('layerwise'),
      /** Layers are added in this many groups (default min(layers, 8)); each group alone trains the new layers. */
      groups: int(1, limits.maxLayers).optional(),
      /** Then one phase trains every parameter on the rest of the budget (phase 1 gets half of it). */
      final_phase: z.boolean('must be true or false').default(true),
    }),
    z.strictObject({
      kind: z.literal('restarts'),
      /** Runs from different seeds, each on 1/count of the budget. */
      count: int(2, SCHEDULE_LIMITS.maxRestarts),
      /** The restart with the lowest mean of its last `select_last` mini-batch losses is kept. */
      select_last: int(1, limits.maxSteps).default(SCHEDULE_LIMITS.defaultSelectLast),
    }),
  ]);
}

export type Schedule = z.output<ReturnType<typeof scheduleShape>>;

/** A layerwise schedule's groups: the given number, else min(layers, SCHEDULE_LIMITS.defaultLayerGroups). */
export const layerGroups = (layers: number, s: { groups?: number }): number =>
  s.groups ?? Math.min(layers, SCHEDULE_LIMITS.defaultLayerGroups);
