// An executor's outgoing telemetry: records numbered by the executor's sequence, batched into
// one QoS 1 message (FLEET.telemetryBatchMax records or FLEET.telemetryBatchMs), kept — batched,
// then by MQTT.js while the broker is away — up to `maxQueued` records, beyond that counted as
// dropped (never silently: the run's reply and the status carry the count).
import type { TelemetryMessage } from './messages.ts';
import { encodeTelemetryBatch } from './messages.ts';
import { FLEET } from './limits.ts';

export class TelemetryOutbox {
  private seq = 0;
  private inFlight = 0;
  private lost = 0;
  /** Records waiting to share one telemetry message. */
  private batch: TelemetryMessage[] = [];
  private batchTimer: NodeJS.Timeout | null = null;
  /** Records added in this turn of the event loop, checked at its end (see add). */
  private turnRecords = 0;

  /** send: publishes one message and calls `delivered` once the broker has it; onDrained: nothing waits for the broker any more. */
  constructor(
    private readonly send: (payload: Buffer, delivered: () => void) => void,
    private readonly maxQueued: number,
    private readonly onDrained: () => void,
  ) {}

  /** Records handed to MQTT and not acknowledged by the broker yet. */
  get queued(): number {
    return this.inFlight;
  }

  /** Records dropped because the queue was full, since the executor started. */
  get dropped(): number {
    return this.lost;
  }

  /** Numbers a step's record with the next sequence (returned, also when the record is dropped) and queues it. */
  add(tag: number, stepUs: number | undefined, raw: Uint8Array): number {
    const seq = ++this.seq;
    if (this.inFlight + this.batch.length >= this.maxQueued) {
      this.lost++;
      return seq;
    }
    this.batch.push({ seq, tag, stepUs, raw });
    if (this.batch.length >= FLEET.telemetryBatchMax) {
      this.flush();
      return seq;
    }
    this.batchTimer ??= setTimeout(() => this.flush(), FLEET.telemetryBatchMs);
    // Records that arrive together (a worker thread's batch, already held up to FLEET.workerBatchMs at its
    // source) leave at the end of their turn: waiting again cost a second wake-up of this thread per message.
    if (this.turnRecords++ === 0)
      setImmediate(() => {
        if (this.turnRecords > 1) this.flush();
        this.turnRecords = 0;
      });
    return seq;
  }

  /** One message with the waiting records (a batch never spans two runs: call it when a run ends). */
  flush(): void {
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.batchTimer = null;
    const n = this.batch.length;
    if (n === 0) return;
    this.inFlight += n;
    this.send(encodeTelemetryBatch(this.batch), () => {
      this.inFlight -= n;
      if (this.inFlight === 0) this.onDrained();
    });
    this.batch = [];
  }
}
