// TrainingTarget: what runTraining drives. Two implementations: the module
// in-process (module-target.ts, `qiot sim`) and a board over the wire protocol
// (host/src/device/, `qiot train`). The sequence mirrors the protocol:
//
//   identity()                 module sha256, ABI version, who runs it   (board: INFO)
//   configure(config, dataset) the 192-byte ABI config struct and the packed
//                              dataset region; a config the module refuses
//                              throws ConfigRejectedError with the module's
//                              `error_message` text                    (board: CONFIG + DATASET;
//                              a board may only learn of the refusal at TRAIN_START,
//                              then train() throws ConfigRejectedError instead)
//   train(steps, onStep)       runs up to `steps` steps; calls onStep once per
//                              step that ran, with the raw 64-byte telemetry
//                              record (docs/abi.md) and, if measured, the µs
//                              spent in step(); resolves with the summary when
//                              the run ends                            (board: TRAIN_START,
//                              TELEMETRY…, DONE)
//   setStartParams(θ)          optional: after configure, the run starts from θ instead of
//                              the module's θ₀ (the config says param_init = host); the
//                              layerwise schedule needs it    (board: sent with TRAIN_START)
//   stop()                     asks the run to end after the current step;
//                              train() then resolves with status 'stopped' (board: TRAIN_STOP)
//
// A step whose status is BUDGET_EXHAUSTED did not run and is not reported; the
// run ends with status 'budget_exhausted'. A NUMERIC step is reported and ends
// the run. A module trap ends the run with status 'trap' and its message.
import type { RunTarget } from '../runlog/schema.ts';
import { QiotError } from '../errors.ts';

export interface TargetIdentity {
  target: RunTarget;
  moduleSha256: string;
  abiVersion: number;
}

export interface StepTelemetry {
  /** The module's 64-byte telemetry record, unchanged. */
  raw: Uint8Array;
  stepUs?: number;
}

export type TargetEndStatus = 'completed' | 'stopped' | 'budget_exhausted' | 'numeric' | 'trap';

export interface TargetSummary {
  status: TargetEndStatus;
  /** Exact mean losses and accuracy at the final θ (module `evaluate`/`accuracy`); NaN where undefined. */
  trainLoss: number;
  testLoss: number;
  testAccuracy: number;
  /** Shots charged over the whole run. */
  shotsTotal: number;
  /** Trainable parameters of the configured circuit; null if the target did not report it. */
  paramCount: number | null;
  /** The trap message when status is 'trap'. */
  error?: string;
  /** θ at the end of the run, when the target could read it (not after a trap). */
  params?: ArrayLike<number>;
  /** When the target was asked for it (a worker's traced run): θ₀, then θ after each step that ran, paramCount values per row. */
  trace?: Float64Array;
}

export interface StartParamsLimit {
  max: number;
  /** Who is limited and why, e.g. "this board (θ travels in one TRAIN_START frame)". */
  who: string;
}

export interface TrainingTarget {
  identity(): Promise<TargetIdentity>;
  configure(config: Uint8Array, dataset: Uint8Array): Promise<void>;
  /** Absent on targets that cannot (host/src/schedule/ then refuses a layerwise schedule on them). */
  setStartParams?(theta: readonly number[]): Promise<void>;
  /** The most θ values setStartParams takes (absent or null: any count the module holds); checked for every segment before a run starts. */
  startParamsLimit?(): StartParamsLimit | null;
  train(steps: number, onStep: (step: StepTelemetry) => void): Promise<TargetSummary>;
  stop(): void;
}

/** The module refused the config in `init()`; `message` is its `error_message` text. */
export class ConfigRejectedError extends QiotError {
  constructor(
    readonly code: number,
    readonly moduleMessage: string,
  ) {
    super(`the module rejected the config: ${moduleMessage} (error ${code})`, 'invalid');
    this.name = 'ConfigRejectedError';
  }
}
