// Run log records (JSON Lines): one header, one `step` per training step, one
// summary. Floats that are NaN in the module (e.g. `trial_loss` outside gated
// NLR, accuracy of a non-classification cost) are written as null, since JSON
// has no NaN. `raw` is the module's 64-byte telemetry record in hex, so logs
// of different targets can be compared bit for bit.
import { z } from 'zod';
import { HOST_BUILD_LIMITS } from '../config/limits.ts';
import { runConfigShape } from '../config/schema.ts';

const count = z.int().min(0);
const float = z.number().nullable();

export const RUN_TARGET_KINDS = ['node', 'board'] as const;

export const RunTargetSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('node') }),
  z.strictObject({
    kind: z.literal('board'),
    board: z.string().min(1),
    firmware_version: z.string(),
    port: z.string().optional(),
  }),
]);

export const HeaderRecordSchema = z.strictObject({
  type: z.literal('header'),
  qiot_version: z.string(),
  module_sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits'),
  abi_version: z.int(),
  /** Read with the largest capacities of any build (runs of `--module host` included). */
  config: runConfigShape(HOST_BUILD_LIMITS),
  /** Provenance of the data, e.g. "Iris versicolor (+1) vs virginica (−1)"; null without a dataset. */
  dataset: z.string().nullable(),
  target: RunTargetSchema,
  started_at: z.iso.datetime(),
  /** `--match-perturb`: optimizer.perturb is σ matched to this NLR run log's ascent steps (T steps, of them ascent_steps). */
  perturb_matched_to: z.strictObject({ log: z.string(), sigma: z.number().min(0), steps: count, ascent_steps: count }).optional(),
  /** Each `--resume` of the run: after which logged step it went on, when, and on what target. */
  resumes: z.array(z.strictObject({ after_step: count, started_at: z.iso.datetime(), target: RunTargetSchema })).optional(),
});

/** One segment of a scheduled run (host/src/schedule/): its config's key fields, budget and how it ended. */
export const SegmentSummarySchema = z.strictObject({
  index: count,
  /** 'layers': a layerwise group (only its new layers train); 'final': all parameters; 'restart': one of the restarts. */
  role: z.enum(['layers', 'final', 'restart']),
  layers: z.int().min(1),
  train_from: count,
  seed: count,
  /** 'seeded': the module drew θ₀; 'carried': θ from the previous segment (new layers at 0). */
  start: z.enum(['seeded', 'carried']),
  max_steps: count,
  shot_budget: count,
  steps: count,
  shots: count,
  status: z.enum(['completed', 'stopped', 'budget_exhausted', 'numeric', 'trap']),
  train_loss: float,
  test_loss: float,
  /** Restarts: the mean of its last `select_last` mini-batch losses, by which one is kept. */
  score: float.optional(),
});

export const ScheduleSummarySchema = z.strictObject({
  kind: z.enum(['layerwise', 'restarts']),
  segments: z.array(SegmentSummarySchema),
  /** Restarts: the index of the kept restart (its θ and losses are the summary's). */
  selected: count.optional(),
});

export const STEP_STATUSES = ['ok', 'not_initialised', 'budget_exhausted', 'numeric'] as const;

export const StepRecordSchema = z.strictObject({
  type: z.literal('step'),
  step: z.int().min(1),
  loss: float,
  grad_norm: float,
  phase: z.enum(['+', '-']),
  shots: count,
  shots_total: count,
  evals: count,
  step_norm: float,
  trial_loss: float,
  status: z.enum(STEP_STATUSES),
  /** Time the target spent in `step()`, µs, when the target measures it. */
  step_us: count.optional(),
  /** Scheduled runs (config.schedule): the segment this step belongs to; `step` and `shots_total` then count over the whole run. */
  segment: count.optional(),
  raw: z.string().regex(/^[0-9a-f]{128}$/, 'must be 128 lowercase hex digits (64 bytes)'),
});

/**
 * How a run ended: all steps done; Ctrl-C (`interrupted`); stopped by another
 * party (`stopped`); out of shots; NaN/∞ loss or gradient; the module trapped;
 * or the host failed (`failed`, with `error`).
 */
export const RUN_STATUSES = ['completed', 'interrupted', 'stopped', 'budget_exhausted', 'numeric', 'trap', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const SummaryRecordSchema = z.strictObject({
  type: z.literal('summary'),
  status: z.enum(RUN_STATUSES),
  /** Steps that ran (telemetry records received). */
  steps: count,
  /** Mini-batch loss of the last step (at θ before its update); null without steps. */
  final_loss: float,
  best_loss: float,
  /** Exact losses and accuracy at the final θ (`evaluate` / `accuracy`); null where undefined. */
  train_loss: float,
  test_loss: float,
  test_accuracy: float,
  shots_used: count,
  mean_grad_norm: float,
  param_count: count.nullable(),
  /** θ at the end of the run (`qiot params set` takes this record); absent when the target could not read it. */
  params: z.array(float).optional(),
  wall_time_s: z.number().min(0),
  /** Scheduled runs: every segment that ran (restarts: which one was kept). */
  schedule: ScheduleSummarySchema.optional(),
  error: z.string().optional(),
});

export const RunLogRecordSchema = z.discriminatedUnion('type', [HeaderRecordSchema, StepRecordSchema, SummaryRecordSchema]);

export type RunTarget = z.infer<typeof RunTargetSchema>;
export type HeaderRecord = z.infer<typeof HeaderRecordSchema>;
export type StepRecord = z.infer<typeof StepRecordSchema>;
export type SummaryRecord = z.infer<typeof SummaryRecordSchema>;
export type SegmentSummary = z.infer<typeof SegmentSummarySchema>;
export type ScheduleSummary = z.infer<typeof ScheduleSummarySchema>;
export type RunLogRecord = z.infer<typeof RunLogRecordSchema>;
