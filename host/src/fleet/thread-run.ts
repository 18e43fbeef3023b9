// Pool handler (host/src/pool/): one training run of the module in a worker
// thread. Telemetry (batched), the end of the run and the stop request travel on a
// BroadcastChannel named by the task, so the run streams step by step while
// the pool's task result only says that the thread is free again.
import { ModuleTarget } from '../train/module-target.ts';
import { ConfigRejectedError, type StepTelemetry } from '../train/target.ts';
import { TELEMETRY_SIZE } from '../wasm/abi.ts';
import { FLEET } from './limits.ts';
import type { ThreadEvent, ThreadRunTask } from './thread-target.ts';

export async function handle(task: ThreadRunTask): Promise<void> {
  const channel = new BroadcastChannel(task.channel);
  const post = (event: ThreadEvent) => channel.postMessage(event);
  try {
    const target = new ModuleTarget({ path: task.modulePath, bytes: task.module, sha256: task.moduleSha256 });
    channel.onmessage = (e: MessageEvent) => {
      if ((e.data as { stop?: boolean }).stop) target.stop();
    };
    post({ type: 'ready' });
    try {
      await target.configure(task.config, task.dataset);
      if (task.start) await target.setStartParams(task.start);
    } catch (err) {
      if (err instanceof ConfigRejectedError) return post({ type: 'rejected', code: err.code, message: err.moduleMessage });
      throw err;
    }
    // A traced run keeps θ₀ and θ after every step (what an experiment evaluates host-side).
    const trace: Float64Array[] | null = task.trace ? [target.initialParameters()] : null;
    const batch = new StepBatch();
    let since = performance.now();
    const flush = () => {
      if (batch.count > 0) post(batch.take());
      since = performance.now();
    };
    const summary = await target.train(task.steps, (t) => {
      batch.add(t);
      if (trace) {
        if ((trace.length + 1) * target.module.paramCount > FLEET.traceMaxValues)
          throw new Error(
            `the θ trace would exceed ${FLEET.traceMaxValues} values (FLEET.traceMaxValues): fewer steps or parameters per traced run`,
          );
        trace.push(target.module.getParams());
      }
      if (batch.count >= FLEET.telemetryBatchMax || performance.now() - since >= FLEET.workerBatchMs) flush();
    });
    flush();
    post({ type: 'done', summary: trace ? { ...summary, trace: concat(trace) } : summary });
  } catch (err) {
    post({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
  } finally {
    channel.close();
  }
}

function concat(rows: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(rows.reduce((n, r) => n + r.length, 0));
  let at = 0;
  for (const r of rows) {
    out.set(r, at);
    at += r.length;
  }
  return out;
}

/**
 * Steps packed back to back (64-byte records, µs per step; NaN = not measured), so a batch
 * crosses to the executor's thread as two buffers instead of one object and one
 * ArrayBuffer per step (the clone, and the garbage on both threads, were per step).
 */
class StepBatch {
  private readonly records = new Uint8Array(FLEET.telemetryBatchMax * TELEMETRY_SIZE);
  private readonly stepUs = new Float64Array(FLEET.telemetryBatchMax);
  count = 0;

  /** At most FLEET.telemetryBatchMax steps between two take(). */
  add(t: StepTelemetry): void {
    this.records.set(t.raw, this.count * TELEMETRY_SIZE);
    this.stepUs[this.count++] = t.stepUs ?? NaN;
  }

  take(): Extract<ThreadEvent, { type: 'steps' }> {
    const event = {
      type: 'steps' as const,
      records: this.records.slice(0, this.count * TELEMETRY_SIZE),
      stepUs: this.stepUs.slice(0, this.count),
    };
    this.count = 0;
    return event;
  }
}
