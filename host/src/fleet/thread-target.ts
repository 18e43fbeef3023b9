// ThreadTarget: a TrainingTarget (host/src/train/target.ts) whose module runs in
// a thread of a WorkerPool (host/src/pool/), so several runs use several cores.
// `qiot worker` serves one per virtual board; runTraining drives it like any target.
import { randomUUID } from 'node:crypto';
import { MODULE_EXTENSION } from '../package-root.ts';
import { WorkerPool } from '../pool/pool.ts';
import type { ModuleImage } from '../train/module-target.ts';
import { ConfigRejectedError, type StepTelemetry, type TargetIdentity, type TargetSummary, type TrainingTarget } from '../train/target.ts';
import { ABI_VERSION, TELEMETRY_SIZE } from '../wasm/abi.ts';

export interface ThreadRunTask {
  channel: string;
  modulePath: string;
  module: Uint8Array;
  moduleSha256: string;
  config: Uint8Array;
  dataset: Uint8Array;
  steps: number;
  /** Keep θ₀ and θ after every step for the summary's `trace`. */
  trace: boolean;
  /** θ written after init(), before the first step (the layerwise schedule). */
  start?: number[];
}

export type ThreadEvent =
  | { type: 'ready' }
  /**
   * Steps in order, several per message (FLEET.telemetryBatchMax / workerBatchMs; one message per step made the
   * main thread the bottleneck): `records` holds their 64-byte telemetry records back to back, `stepUs` the µs of each (NaN: not measured).
   */
  | { type: 'steps'; records: Uint8Array; stepUs: Float64Array }
  | { type: 'done'; summary: TargetSummary }
  | { type: 'rejected'; code: number; message: string }
  | { type: 'failed'; message: string };

export type RunPool = WorkerPool<ThreadRunTask, void>;

/** The image with its bytes in a SharedArrayBuffer: each run's task then hands the thread a reference, not a copy of the module. */
export function sharedImage(image: ModuleImage): ModuleImage {
  const bytes = new Uint8Array(new SharedArrayBuffer(image.bytes.length));
  bytes.set(image.bytes);
  return { ...image, bytes };
}

export function createRunPool(threads: number): RunPool {
  return new WorkerPool<ThreadRunTask, void>(new URL(`./thread-run${MODULE_EXTENSION}`, import.meta.url), threads);
}

export class ThreadTarget implements TrainingTarget {
  private pending: { config: Uint8Array; dataset: Uint8Array; start?: number[] } | null = null;
  private channel: BroadcastChannel | null = null;
  private stopRequested = false;

  constructor(
    private readonly pool: RunPool,
    private readonly image: ModuleImage,
    private readonly trace = false,
  ) {}

  async identity(): Promise<TargetIdentity> {
    return { target: { kind: 'node' }, moduleSha256: this.image.sha256, abiVersion: ABI_VERSION };
  }

  /** The module's init() runs in the thread: a refused config surfaces from train() (allowed by the contract). */
  async configure(config: Uint8Array, dataset: Uint8Array): Promise<void> {
    this.pending = { config, dataset };
  }

  /** Travels with the task: the thread writes it after init(). */
  async setStartParams(theta: readonly number[]): Promise<void> {
    if (!this.pending) throw new Error('ThreadTarget: setStartParams() before configure()');
    this.pending.start = [...theta];
  }

  train(steps: number, onStep: (step: StepTelemetry) => void): Promise<TargetSummary> {
    if (!this.pending) return Promise.reject(new Error('ThreadTarget: train() before configure()'));
    const name = `qiot-run-${randomUUID()}`;
    const channel = new BroadcastChannel(name);
    this.channel = channel;
    const ended = new Promise<TargetSummary>((resolve, reject) => {
      channel.onmessage = (e: MessageEvent) => {
        const event = e.data as ThreadEvent;
        if (event.type === 'ready' && this.stopRequested) channel.postMessage({ stop: true });
        else if (event.type === 'steps') {
          event.stepUs.forEach((us, i) => {
            onStep({
              raw: event.records.subarray(i * TELEMETRY_SIZE, (i + 1) * TELEMETRY_SIZE),
              ...(Number.isNaN(us) ? {} : { stepUs: us }),
            });
          });
        } else if (event.type === 'done') resolve(event.summary);
        else if (event.type === 'rejected') reject(new ConfigRejectedError(event.code, event.message));
        else if (event.type === 'failed') reject(new Error(event.message));
      };
    });
    const task: ThreadRunTask = {
      channel: name,
      modulePath: this.image.path,
      module: this.image.bytes,
      moduleSha256: this.image.sha256,
      ...this.pending,
      steps,
      trace: this.trace,
    };
    // The task settles after its last channel message was posted; a dead thread rejects it.
    const thread = this.pool.run(task);
    return Promise.race([ended, thread.then(() => ended)]).finally(() => {
      channel.close();
      this.channel = null;
    });
  }

  stop(): void {
    this.stopRequested = true;
    this.channel?.postMessage({ stop: true });
  }
}
