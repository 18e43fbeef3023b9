// BoardTarget: the TrainingTarget of `qiot train` (host/src/train/target.ts) on a
// board through DeviceClient: CONFIG + DATASET, TRAIN_START, TELEMETRY…, DONE.
import { DoneStatus, ErrorCode, MAX_PAYLOAD, NO_SLOT } from '../protocol/constants.ts';
import {
  ConfigRejectedError,
  type StartParamsLimit,
  type StepTelemetry,
  type TargetEndStatus,
  type TargetIdentity,
  type TargetSummary,
  type TrainingTarget,
} from '../train/target.ts';
import type { DeviceClient, TrainOptions } from './client.ts';
import { BoardError, DeviceError, LinkLostError } from './errors.ts';

const END_STATUS: Record<number, TargetEndStatus> = {
  [DoneStatus.COMPLETED]: 'completed',
  [DoneStatus.STOPPED]: 'stopped',
  [DoneStatus.BUDGET_EXHAUSTED]: 'budget_exhausted',
  [DoneStatus.NUMERIC]: 'numeric',
  [DoneStatus.TRAP]: 'trap',
};

export class NoModuleError extends DeviceError {
  constructor(port: string) {
    super(`the board on ${port} has no module: flash one first (qiot flash build/qiot.wasm --port ${port})`);
    this.name = 'NoModuleError';
  }
}

/** θ values one TRAIN_START frame holds: u32 steps, u8 mode, u16 count and 8 bytes a value, beside `overhead` (an authentication trailer). */
export const maxStartParams = (overhead: number): number => Math.floor((MAX_PAYLOAD - 7 - overhead) / 8);

export class BoardTarget implements TrainingTarget {
  private stopRequested = false;
  private running = false;
  private start: readonly number[] | undefined;
  /** Telemetry records lost for good (not recoverable from the board's ring). */
  readonly gaps: Array<[from: number, to: number]> = [];
  /** Why the board ended the last run without a DONE (it restarted, or stopped answering): its kind gives the CLI's exit code. */
  deviceFailure: DeviceError | null = null;

  /** telemetry: how the run's records are kept (DeviceClient.train; default pause mode, lossless). */
  constructor(
    private readonly client: DeviceClient,
    private readonly opts: TrainOptions = {},
  ) {}

  async identity(): Promise<TargetIdentity> {
    const info = this.client.info;
    if (info.activeSlot === NO_SLOT) throw new NoModuleError(this.client.port);
    return {
      target: { kind: 'board', board: info.boardName, firmware_version: info.firmwareVersion, port: this.client.port },
      moduleSha256: Buffer.from(info.moduleSha256).toString('hex'),
      abiVersion: info.abiVersion,
    };
  }

  async configure(config: Uint8Array, dataset: Uint8Array): Promise<void> {
    this.start = undefined;
    await this.client.configure(config, dataset);
  }

  startParamsLimit(): StartParamsLimit {
    return {
      max: maxStartParams(this.client.link.requestOverhead),
      who: `the board on ${this.client.port} (θ travels in one TRAIN_START frame)`,
    };
  }

  /** Sent with TRAIN_START: the board writes it after init(), before the first step. */
  async setStartParams(theta: readonly number[]): Promise<void> {
    const max = maxStartParams(this.client.link.requestOverhead);
    if (theta.length > max) {
      throw new DeviceError(
        `a board takes the θ a run starts from in one TRAIN_START frame: at most ${max} parameters, this run has ${theta.length} (the layerwise schedule needs it; run it with qiot sim)`,
        'invalid',
      );
    }
    this.start = theta;
  }

  async train(steps: number, onStep: (step: StepTelemetry) => void): Promise<TargetSummary> {
    this.gaps.length = 0;
    this.deviceFailure = null;
    let run: Awaited<ReturnType<DeviceClient['train']>>;
    try {
      run = await this.client.train(
        steps,
        {
          onTelemetry: (t) => onStep({ raw: t.record, stepUs: t.stepUs }),
          onGap: (from, to) => this.gaps.push([from, to]),
        },
        { ...this.opts, ...(this.start ? { start: this.start } : {}) },
      );
    } catch (err) {
      if (err instanceof BoardError && err.code === ErrorCode.CONFIG_INVALID) {
        throw new ConfigRejectedError(err.code, err.text);
      }
      throw err;
    }
    this.running = true;
    if (this.stopRequested) this.sendStop();
    try {
      const end = await run.done;
      const status = END_STATUS[end.status];
      if (!status) throw new DeviceError(`board ended the run with unknown DONE status ${end.status}`);
      const problems = [...end.errors, ...(this.gaps.length > 0 ? [this.describeGaps()] : [])];
      // θ for the summary; a board that cannot answer (e.g. after a trap) just leaves it out.
      const params = status === 'trap' ? undefined : await this.client.readParams().catch(() => undefined);
      return {
        status,
        trainLoss: end.trainLoss,
        testLoss: end.testLoss,
        testAccuracy: end.testAccuracy,
        shotsTotal: Number(end.shotsTotal),
        paramCount: run.paramCount,
        ...(params ? { params } : {}),
        ...(problems.length > 0 ? { error: problems.join('; ') } : {}),
      };
    } catch (err) {
      if (err instanceof DeviceError) this.deviceFailure = err;
      // The host gave up on the run (e.g. a step record could not be written):
      // stop the board too, or it would train on alone (with steps 0, forever).
      if (!(err instanceof LinkLostError)) this.sendStop();
      throw err;
    } finally {
      this.running = false;
    }
  }

  stop(): void {
    this.stopRequested = true;
    if (this.running) this.sendStop();
  }

  private sendStop(): void {
    // A failure here (link gone) surfaces through the run's `done`.
    this.client.stop().catch(() => undefined);
  }

  private describeGaps(): string {
    const lost = this.gaps.reduce((n, [from, to]) => n + (to - from), 0);
    return `${lost} telemetry record(s) lost on the link and no longer held by the board`;
  }
}
