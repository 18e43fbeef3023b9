// Runs the segments of a run (plan.ts) on any TrainingTarget — the module in-process,
// a board over serial, a fleet executor — one configure + train per segment, θ carried by
// the host. A run without a schedule is one segment: the same path for every run.
// Step records are numbered over the whole run (step, shots_total) and carry their
// segment's index; `raw` stays the module's own record (its counters restart per segment).
import { encodeConfig } from '../config/encode.ts';
import type { RunConfig } from '../config/schema.ts';
import type { Dataset } from '../data/types.ts';
import { packDataset } from '../data/pack.ts';
import { QiotError } from '../errors.ts';
import type { ScheduleSummary, SegmentSummary, StepRecord } from '../runlog/schema.ts';
import { stepRecordFromTelemetry } from './step-record.ts';
import type { StartParamsLimit, TargetSummary, TrainingTarget } from './target.ts';
import { planSegments, restartScore, segmentStarts, selectRestart, type SegmentEnd, type SegmentPlan } from '../schedule/plan.ts';

export class StartParamsUnsupportedError extends QiotError {
  constructor(what: string) {
    super(`${what} cannot start a run from θ given by the host, which the layerwise schedule needs`, 'invalid');
    this.name = 'StartParamsUnsupportedError';
  }
}

/** A segment starts from more θ values than the target takes: refused before the run's first segment is sent. */
export class StartParamsLimitError extends QiotError {
  constructor(segment: number, params: number, limit: StartParamsLimit) {
    super(
      `layerwise schedule: segment ${segment} starts from θ of ${params} parameters; ${limit.who} takes at most ${limit.max} — nothing was run (run it on a worker, or with qiot sim)`,
      'invalid',
    );
    this.name = 'StartParamsLimitError';
  }
}

const STOPS_THE_SCHEDULE = new Set(['stopped', 'trap']);

export class SegmentedRun {
  private readonly plan: Generator<SegmentPlan, void, SegmentEnd>;
  private current: SegmentPlan;
  private readonly done: SegmentSummary[] = [];
  private readonly lastLosses: number[][] = [];
  private readonly summaries: TargetSummary[] = [];
  private stopRequested = false;

  constructor(
    private readonly target: TrainingTarget,
    private readonly cfg: RunConfig,
    private readonly dataset: Dataset | null,
  ) {
    this.plan = planSegments(cfg);
    this.current = this.plan.next().value as SegmentPlan;
  }

  /** Configures the first segment: a config the target refuses throws before any record is written. */
  async begin(): Promise<void> {
    if (this.cfg.schedule?.kind === 'layerwise' && !this.target.setStartParams) throw new StartParamsUnsupportedError('this target');
    await this.configure(this.current);
  }

  /** Ends the run after the current step; no further segment starts. */
  stop(): void {
    this.stopRequested = true;
    this.target.stop();
  }

  /** Runs every segment; `onRecord` gets each step, renumbered over the run. A segment the target cannot start throws first. */
  async train(onRecord: (record: StepRecord) => void): Promise<TargetSummary> {
    this.checkStarts();
    let steps = 0;
    let shots = 0;
    for (let first = true; ; first = false) {
      const seg = this.current;
      if (!first) await this.configure(seg);
      const losses: number[] = [];
      const keep = this.cfg.schedule?.kind === 'restarts' ? this.cfg.schedule.select_last : 0;
      const offset = { steps, shots };
      const ended = await this.target.train(seg.config.steps, (t) => {
        const r = stepRecordFromTelemetry(t.raw, t.stepUs);
        steps = offset.steps + r.step;
        shots = offset.shots + r.shots_total;
        if (keep > 0) {
          losses.push(r.loss ?? NaN);
          if (losses.length > keep) losses.shift();
        }
        onRecord(this.cfg.schedule ? { ...r, step: steps, shots_total: shots, segment: seg.index } : r);
      });
      shots = offset.shots + ended.shotsTotal;
      this.summaries.push(ended);
      this.lastLosses.push(losses);
      this.done.push(segmentSummary(seg, ended, steps - offset.steps, keep > 0 ? restartScore(losses) : undefined));
      if (STOPS_THE_SCHEDULE.has(ended.status) || this.stopRequested) return this.result(ended, shots);
      const next = this.plan.next({ steps: steps - offset.steps, shots: ended.shotsTotal, params: ended.params });
      if (next.done) return this.result(ended, shots);
      this.current = next.value;
    }
  }

  /** What the run log's summary records about the schedule; null for a plain run. */
  scheduleSummary(): ScheduleSummary | null {
    const s = this.cfg.schedule;
    if (!s) return null;
    return { kind: s.kind, segments: [...this.done], ...(s.kind === 'restarts' ? { selected: this.selected() } : {}) };
  }

  private checkStarts(): void {
    const limit = this.target.startParamsLimit?.() ?? null;
    if (!limit) return;
    segmentStarts(this.cfg).forEach((params, segment) => {
      if (params > limit.max) throw new StartParamsLimitError(segment, params, limit);
    });
  }

  private selected(): number {
    return selectRestart(this.lastLosses);
  }

  private async configure(seg: SegmentPlan): Promise<void> {
    await this.target.configure(encodeConfig(seg.config, this.dataset), this.dataset ? packDataset(this.dataset) : new Uint8Array(0));
    if (seg.start) {
      if (!this.target.setStartParams) throw new StartParamsUnsupportedError('this target');
      await this.target.setStartParams(seg.start);
    }
  }

  /** The run's end: restarts report the kept restart, others their last segment; shots over all segments. */
  private result(last: TargetSummary, shots: number): TargetSummary {
    const s = this.cfg.schedule;
    const chosen = s?.kind === 'restarts' && last.status !== 'stopped' ? this.summaries[this.selected()]! : last;
    const numeric = this.summaries.find((x) => x.status === 'numeric');
    const status = STOPS_THE_SCHEDULE.has(last.status) ? last.status : numeric ? 'numeric' : last.status;
    return { ...chosen, status, shotsTotal: shots };
  }
}

function segmentSummary(seg: SegmentPlan, ended: TargetSummary, steps: number, score: number | undefined): SegmentSummary {
  const finite = (v: number) => (Number.isFinite(v) ? v : null);
  return {
    index: seg.index,
    role: seg.role,
    layers: seg.config.layers,
    train_from: seg.config.train_from,
    seed: seg.config.seed,
    start: seg.start ? 'carried' : 'seeded',
    max_steps: seg.config.steps,
    shot_budget: seg.config.shots.budget,
    steps,
    shots: ended.shotsTotal,
    status: ended.status,
    train_loss: finite(ended.trainLoss),
    test_loss: finite(ended.testLoss),
    ...(score !== undefined ? { score: finite(score) } : {}),
  };
}
