// runTraining: one training run on any TrainingTarget (target.ts). It configures
// the target (through host/src/schedule/: a run with a `schedule` is several
// segments, a plain run one), writes the header, turns every telemetry record into
// a step record, and always finishes with a summary — also when the run is
// interrupted (signal) or the target fails.
import type { RunConfig } from '../config/schema.ts';
import { loadDataset } from '../data/load.ts';
import type { HeaderRecord, RunLogRecord, RunStatus, StepRecord, SummaryRecord } from '../runlog/schema.ts';
import { minimum } from '../stats/descriptive.ts';
import type { TrainingObserver } from './observer.ts';
import { checkReplayedStep, ResumeError, type ResumePlan } from './resume.ts';
import { QiotError } from '../errors.ts';
import type { MatchedPerturb } from '../schedule/matched-perturb.ts';
import { SegmentedRun, StartParamsLimitError } from './segmented-run.ts';
import { ConfigRejectedError, type TargetSummary, type TrainingTarget } from './target.ts';

export type RecordSink = (record: RunLogRecord) => void;

export interface RunTrainingOptions {
  qiotVersion: string;
  /** Every record goes to each sink in order (run log file, --json stdout…). */
  sinks: RecordSink[];
  observer?: TrainingObserver;
  /** Label shown by the observer, e.g. the optimizer name. */
  label?: string;
  /** Aborting stops the run after the current step; its status is then 'interrupted'. */
  signal?: AbortSignal;
  /** Go on with a logged run (resume.ts): its steps are recomputed and checked first, then the run continues. */
  resume?: ResumePlan;
  /** `--match-perturb`: the NLR log optimizer.perturb was matched to, for the header. */
  matchedPerturb?: MatchedPerturb;
  /** Called once the logged records of a resumed run have been re-emitted (their replay matched). */
  onResumed?: () => void;
}

export interface RunResult {
  header: HeaderRecord;
  steps: StepRecord[];
  summary: SummaryRecord;
}

export async function runTraining(target: TrainingTarget, cfg: RunConfig, opts: RunTrainingOptions): Promise<RunResult> {
  const resume = opts.resume;
  if (resume) cfg = resume.config;
  const dataset = loadDataset(cfg);
  const identity = await target.identity();
  if (resume && identity.moduleSha256 !== resume.log.header.module_sha256) {
    throw new ResumeError(
      resume.path,
      `the run used module sha256 ${resume.log.header.module_sha256.slice(0, 16)}…, this target has ${identity.moduleSha256.slice(0, 16)}…`,
    );
  }
  const run = new SegmentedRun(target, cfg, dataset);
  await run.begin();

  const emit = (record: RunLogRecord) =>
    opts.sinks.forEach((sink) => {
      sink(record);
    });
  const started_at = new Date().toISOString();
  const header: HeaderRecord = resume
    ? {
        ...resume.log.header,
        config: cfg,
        resumes: [...(resume.log.header.resumes ?? []), { after_step: resume.replay.length, started_at, target: identity.target }],
      }
    : {
        type: 'header',
        qiot_version: opts.qiotVersion,
        module_sha256: identity.moduleSha256,
        abi_version: identity.abiVersion,
        config: cfg,
        dataset: dataset?.description ?? null,
        target: identity.target,
        started_at,
        ...(opts.matchedPerturb ? { perturb_matched_to: opts.matchedPerturb } : {}),
      };

  const steps: StepRecord[] = [];
  // A resumed run re-emits its header and logged steps only once their recomputation matched the log.
  const replaying = resume?.replay ?? [];
  let replayed = 0;
  let replayError: unknown = null;
  const emitStart = () => {
    emit(header);
    for (const record of replaying) {
      steps.push(record);
      emit(record);
    }
    if (resume) opts.onResumed?.();
  };
  if (replaying.length === 0) emitStart();

  const started = performance.now();
  const onAbort = () => run.stop();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  if (opts.signal?.aborted) run.stop();
  opts.observer?.onStart(cfg.steps, opts.label ?? cfg.optimizer.name);

  let ended: TargetSummary | null = null;
  let failure: unknown = null;
  try {
    ended = await run.train((record) => {
      if (replayError !== null) return;
      if (replayed < replaying.length) {
        try {
          checkReplayedStep(resume!, record, replayed);
        } catch (err) {
          replayError = err;
          run.stop();
          return;
        }
        opts.observer?.onStep(record);
        if (++replayed === replaying.length) emitStart();
        return;
      }
      steps.push(record);
      emit(record);
      opts.observer?.onStep(record);
    });
  } catch (err) {
    failure = err;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
  if (replayed < replaying.length) throw replayFailure(resume!, replayed, replayError ?? failure, ended, opts.signal?.aborted ?? false);

  const summary = summarise(steps, ended, failure, opts.signal?.aborted ?? false, (performance.now() - started) / 1000);
  if (!dataset) summary.test_loss = null; // local/global costs have no test split; the module's value repeats the train loss
  const schedule = run.scheduleSummary();
  if (schedule) summary.schedule = schedule;
  emit(summary);
  opts.observer?.onEnd(summary);
  if (failure instanceof ConfigRejectedError || failure instanceof StartParamsLimitError) throw failure;
  return { header, steps, summary };
}

/** The resume ended before the logged steps were recomputed: nothing was written, the log is unchanged. */
function replayFailure(plan: ResumePlan, replayed: number, cause: unknown, ended: TargetSummary | null, interrupted: boolean): Error {
  if (cause instanceof ResumeError || cause instanceof ConfigRejectedError || cause instanceof StartParamsLimitError) return cause;
  const where = `after recomputing ${replayed} of the ${plan.replay.length} logged steps; the run log is unchanged`;
  if (interrupted) return new QiotError(`resume of ${plan.path} interrupted ${where}`, 'interrupted');
  const why = cause !== null ? errorText(cause) : `the target ended with status '${ended?.status}'`;
  return new ResumeError(plan.path, `${why}, ${where}`, 'failed');
}

function summarise(
  steps: readonly StepRecord[],
  ended: TargetSummary | null,
  failure: unknown,
  interrupted: boolean,
  wallTimeS: number,
): SummaryRecord {
  const losses = steps.map((s) => s.loss).filter((l): l is number => l !== null && Number.isFinite(l));
  const gradNorms = steps.map((s) => s.grad_norm).filter((g): g is number => g !== null && Number.isFinite(g));
  const last = steps[steps.length - 1];
  let status: RunStatus;
  if (!ended) status = 'failed';
  else if (ended.status === 'stopped' && interrupted) status = 'interrupted';
  else status = ended.status;
  const error = failure !== null ? errorText(failure) : ended?.error;
  return {
    type: 'summary',
    status,
    steps: steps.length,
    final_loss: last?.loss ?? null,
    best_loss: losses.length > 0 ? minimum(losses) : null,
    train_loss: finiteOrNull(ended?.trainLoss),
    test_loss: finiteOrNull(ended?.testLoss),
    test_accuracy: finiteOrNull(ended?.testAccuracy),
    shots_used: ended?.shotsTotal ?? last?.shots_total ?? 0,
    mean_grad_norm: gradNorms.length > 0 ? gradNorms.reduce((a, b) => a + b, 0) / gradNorms.length : null,
    param_count: ended?.paramCount ?? null,
    ...(ended?.params ? { params: Array.from(ended.params, (v) => (Number.isFinite(v) ? v : null)) } : {}),
    wall_time_s: wallTimeS,
    ...(error !== undefined ? { error } : {}),
  };
}

const finiteOrNull = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? null : v);

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
