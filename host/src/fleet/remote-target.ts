// RemoteTarget: a TrainingTarget (host/src/train/target.ts) on an executor of the
// fleet, so `qiot sweep` writes its run logs through the same runTraining as
// `qiot sim` and `qiot train`. Telemetry is collected by sequence number (QoS 1
// duplicates dropped) and handed over in order once the run's `done` reply and
// every record it announces have arrived; a missing record fails the run.
import { QiotError } from '../errors.ts';
import { ErrorCode } from '../protocol/constants.ts';
import {
  ConfigRejectedError,
  type StartParamsLimit,
  type StepTelemetry,
  type TargetIdentity,
  type TargetSummary,
  type TrainingTarget,
} from '../train/target.ts';
import { ExecutorLostError, RemoteError, type FleetClient } from './client.ts';
import { FLEET } from './limits.ts';
import type { CommandSealer } from './auth.ts';
import { decodeF64, type SummaryBody, type TelemetryMessage } from './messages.ts';
import { type SealedTrain, sealTrain, sendTrain } from './train-command.ts';

export class TelemetryLostError extends QiotError {
  constructor(executor: string, missing: number, records: number) {
    super(`${executor}: ${missing} of ${records} telemetry record(s) never arrived`, 'failed');
    this.name = 'TelemetryLostError';
  }
}

export class RemoteTarget implements TrainingTarget {
  private pending: { config: Uint8Array; dataset: Uint8Array; start?: number[] } | null = null;
  private stopRequested = false;
  private running = false;
  /** Why the run could not finish on this executor (the sweep then runs it elsewhere). */
  lost: ExecutorLostError | null = null;
  /** The board restarted during the run (kind `restarted`): the sweep runs it again, up to FLEET.sweepMaxRestarts times. */
  restarted: RemoteError | null = null;
  /** The board refused the run's authentication (UNAUTHENTICATED): a wrong key, or none for a provisioned board. */
  unauthenticated: RemoteError | null = null;
  /** The last run's θ₀ and θ after each step, when asked for (`trace`). */
  trace: Float64Array | null = null;

  /**
   * queue: ask the executor to keep this run if it is running another (a sweep's prefetch: no idle gap between runs);
   * trace: ask for θ₀ and θ after each step (workers only); start: θ₀ of every run (a job's), unless setStartParams says otherwise;
   * sealer: authenticates the commands for a provisioned board (fleet/auth.ts); without it they go unauthenticated.
   */
  constructor(
    private readonly client: FleetClient,
    readonly executor: string,
    private readonly opts: { queue?: boolean; trace?: boolean; start?: readonly number[]; sealer?: CommandSealer } = {},
  ) {}

  async identity(): Promise<TargetIdentity> {
    const s = this.client.statuses.get(this.executor);
    if (s?.state !== 'online') throw new ExecutorLostError(this.executor, `${this.executor} is not online`);
    if (s.module_sha256 === null || s.abi_version === null)
      throw new RemoteError(this.executor, { kind: 'no_module', message: `${this.executor} has no module: flash one first` });
    return { target: s.target, moduleSha256: s.module_sha256, abiVersion: s.abi_version };
  }

  async configure(config: Uint8Array, dataset: Uint8Array): Promise<void> {
    this.pending = { config, dataset, ...(this.opts.start ? { start: [...this.opts.start] } : {}) };
  }

  /** What the executor's status announces (a board: one TRAIN_START frame). */
  startParamsLimit(): StartParamsLimit | null {
    const s = this.client.statuses.get(this.executor);
    const max = s?.state === 'online' ? s.max_start_params : undefined;
    return max === undefined
      ? null
      : { max, who: `${this.executor} (a ${s?.state === 'online' ? s.kind : 'board'}: θ travels in one TRAIN_START frame)` };
  }

  /** How many segments (`train` commands) this target was given so far. */
  trains = 0;

  /** Sent with `train`: the executor writes it after init() (the layerwise schedule). */
  async setStartParams(theta: readonly number[]): Promise<void> {
    if (!this.pending) throw new Error('RemoteTarget: setStartParams() before configure()');
    this.pending.start = [...theta];
  }

  async train(steps: number, onStep: (step: StepTelemetry) => void): Promise<TargetSummary> {
    if (!this.pending) throw new Error('RemoteTarget: train() before configure()');
    this.trains++;
    let train: SealedTrain;
    try {
      train = await sealTrain(this.executor, { ...this.pending, steps, queue: this.opts.queue, trace: this.opts.trace }, this.opts.sealer);
    } catch (err) {
      if (err instanceof ExecutorLostError) this.lost = err;
      throw err;
    }
    const records = new Map<number, TelemetryMessage>();
    let onRecord: () => void = () => {};
    let command: { end(): void } | undefined;
    return new Promise<TargetSummary>((resolve, reject) => {
      command = sendTrain(this.client, this.executor, train, {
        onRecord: (t) => {
          records.set(t.seq, t);
          onRecord();
        },
        onStarted: () => {
          this.running = true;
          if (this.stopRequested) this.sendStop();
        },
        onRefused: (error) => {
          if (error.kind === 'config_rejected') reject(new ConfigRejectedError(error.code ?? 0, error.message));
          else if (error.kind === 'busy' || error.kind === 'unreachable')
            reject((this.lost = new ExecutorLostError(this.executor, `${this.executor}: ${error.message}`)));
          else {
            const err = new RemoteError(this.executor, error);
            if (err.kind === 'restarted') this.restarted = err;
            if (err.kind === 'board' && err.code === ErrorCode.UNAUTHENTICATED) this.unauthenticated = err;
            reject(err);
          }
        },
        onDone: (result) => {
          this.collect(result, records, (f) => (onRecord = f))
            .then((ordered) => {
              ordered.forEach((t) => {
                onStep({ raw: t.raw, stepUs: t.stepUs });
              });
              const summary = targetSummary(result);
              this.trace = summary.trace ?? null;
              resolve(summary);
            })
            .catch(reject);
        },
        onLost: (err) => reject((this.lost = err)),
      });
    }).finally(() => {
      command?.end();
      this.running = false;
    });
  }

  stop(): void {
    this.stopRequested = true;
    if (this.running) this.sendStop();
  }

  private sendStop(): void {
    const stop = async () =>
      this.client.call(this.executor, 'stop', {}, undefined, await this.opts.sealer?.auth(this.executor, 'stop', {}));
    stop().catch(() => undefined); // a lost executor surfaces through train()
  }

  /** Waits (up to FLEET.telemetryGraceMs, woken by each arriving record) for every record first_seq … first_seq+records−1. */
  private collect(
    done: SummaryBody,
    records: Map<number, TelemetryMessage>,
    notify: (onRecord: () => void) => void,
  ): Promise<TelemetryMessage[]> {
    if (done.dropped > 0) return Promise.reject(new TelemetryLostError(this.executor, done.dropped, done.records));
    const first = done.first_seq ?? 0;
    const missing = () => {
      let n = 0;
      for (let seq = first; seq < first + done.records; seq++) if (!records.has(seq)) n++;
      return n;
    };
    return new Promise((resolve, reject) => {
      const settle = (final: boolean) => {
        const n = missing();
        if (n > 0 && !final) return;
        clearTimeout(timer);
        notify(() => undefined);
        if (n > 0) reject(new TelemetryLostError(this.executor, n, done.records));
        else resolve(Array.from({ length: done.records }, (_, i) => records.get(first + i)!));
      };
      const timer = setTimeout(() => settle(true), FLEET.telemetryGraceMs);
      notify(() => settle(false));
      settle(false);
    });
  }
}

function targetSummary(done: SummaryBody): TargetSummary {
  const n = (x: number | null) => x ?? NaN;
  return {
    status: done.status,
    trainLoss: n(done.train_loss),
    testLoss: n(done.test_loss),
    testAccuracy: n(done.test_accuracy),
    shotsTotal: done.shots_total,
    paramCount: done.param_count,
    ...(done.error !== undefined ? { error: done.error } : {}),
    ...(done.params ? { params: done.params.map(n) } : {}),
    ...(done.trace !== undefined ? { trace: decodeF64(done.trace) } : {}),
  };
}
