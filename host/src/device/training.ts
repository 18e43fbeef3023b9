// One training run on a board: TELEMETRY frames are delivered in tseq order.
// When a tseq is skipped (a frame lost on the link) the missing records are
// fetched from the board's ring (TELEMETRY_FETCH) before delivery continues;
// records the ring no longer holds are reported as a gap. DONE is delivered
// after every record before it. A handler that throws (e.g. the run log cannot
// be written) ends the run's `done` with that error; no later record is delivered.
import { errorCodeName, MessageType } from '../protocol/constants.ts';
import type { Frame } from '../protocol/frame.ts';
import { decodeDone, decodeError, decodeTelemetry, type DoneMessage, type TelemetryMessage } from '../protocol/payloads.generated.ts';
import type { LinkLostError } from './errors.ts';
import { CLIENT } from './limits.ts';
import type { FrameLink } from './link.ts';

export interface TrainingHandlers {
  onTelemetry(frame: TelemetryMessage): void;
  /** Records [fromTseq, toTseq) were lost for good. */
  onGap?(fromTseq: number, toTseq: number): void;
}

export interface TrainingEnd extends DoneMessage {
  /** Texts of ERROR frames the board sent on its own during the run (e.g. MODULE_TRAP). */
  errors: string[];
}

export type FetchFn = (fromTseq: number) => Promise<{ frames: TelemetryMessage[]; firstHeld: number }>;
/** TELEMETRY_ACK: the host holds every record below nextTseq. */
export type AckFn = (nextTseq: number) => Promise<unknown>;

export class TrainingRun {
  readonly done: Promise<TrainingEnd>;
  private expected: number;
  /** The last TELEMETRY_ACK sent (records below it are the host's). */
  private acked: number;
  private chain: Promise<void> = Promise.resolve();
  private readonly errors: string[] = [];
  private unsubscribe: Array<() => void> = [];
  /** A handler threw: the run's `done` rejected with that error and delivery stopped. */
  private failed = false;
  /** The run's DONE was read off the link (set at once; `done` settles after the records before it). */
  doneRead = false;
  private fail!: (err: unknown) => void;
  /** Takes a frame the board sent on its own (also frames that arrived before this run object existed). */
  ingest!: (frame: Frame) => void;

  constructor(
    link: FrameLink,
    readonly paramCount: number,
    firstTseq: number,
    private readonly handlers: TrainingHandlers,
    private readonly fetch: FetchFn,
    private readonly ack?: AckFn,
  ) {
    this.expected = firstTseq;
    this.acked = firstTseq;
    this.done = new Promise<TrainingEnd>((resolve, reject) => {
      const finish = (fn: () => void) => {
        this.unsubscribe.forEach((u) => {
          u();
        });
        fn();
      };
      this.ingest = (frame) => {
        if (frame.seq !== 0) return;
        if (frame.type === MessageType.TELEMETRY) this.enqueue(() => this.deliver(decodeTelemetry(frame.payload)));
        else if (frame.type === MessageType.ERROR) this.errors.push(describeError(frame));
        else if (frame.type === MessageType.DONE) {
          this.doneRead = true;
          const done = decodeDone(frame.payload);
          this.enqueue(async () => finish(() => resolve({ ...done, errors: this.errors })));
        }
      };
      this.fail = (err) => {
        if (this.failed) return;
        this.failed = true;
        finish(() => reject(err));
      };
      this.unsubscribe = [link.onFrame(this.ingest), link.onLost((err: LinkLostError) => finish(() => reject(err)))];
    });
    this.done.catch(() => undefined);
  }

  /** Neither its DONE was read nor did it fail: the run is still waiting for the board. */
  get open(): boolean {
    return !this.doneRead && !this.failed;
  }

  /** Ends the run's `done` with `err` if it is still open: a board that restarted during the run sends no DONE. */
  abandon(err: Error): void {
    if (this.open) this.fail(err);
  }

  /** TELEMETRY_ACK of every record delivered, even if sent before: a board found paused may have lost the last one. */
  ackAgain(): void {
    this.acked = -1;
    this.enqueue(() => this.acknowledge(true));
  }

  private enqueue(task: () => Promise<void> | void): void {
    this.chain = this.chain.then(() => (this.failed ? undefined : task())).catch((err: unknown) => this.fail(err));
  }

  private async deliver(t: TelemetryMessage): Promise<void> {
    if (t.tseq < this.expected) return; // already recovered through a fetch
    if (t.tseq > this.expected) await this.recover(t.tseq);
    if (t.tseq < this.expected) return;
    this.handlers.onTelemetry(t);
    this.expected = t.tseq + 1;
    this.acknowledge();
  }

  /** Acknowledges delivered records every CLIENT.telemetryAckEvery (a board in pause mode waits for it).
   *  A failed ACK is not an error of the run: the next one covers it, and a lost link ends the run anyway. */
  private acknowledge(now = false): void {
    if (!this.ack || this.expected === this.acked || (!now && this.expected - this.acked < CLIENT.telemetryAckEvery)) return;
    this.acked = this.expected;
    this.ack(this.expected).catch(() => undefined);
  }

  /** Fetches the records from `expected` on (those below upTo, else all the ring holds) and delivers them;
   *  what the board no longer holds is reported as a gap. */
  private async recover(upTo?: number): Promise<void> {
    const from = this.expected;
    let fetched: { frames: TelemetryMessage[]; firstHeld: number };
    try {
      fetched = await this.fetch(from);
    } catch {
      if (upTo === undefined) return;
      this.handlers.onGap?.(from, upTo);
      this.expected = upTo;
      return;
    }
    for (const f of fetched.frames) {
      if (upTo !== undefined && f.tseq >= upTo) break;
      if (f.tseq < this.expected) continue;
      if (f.tseq > this.expected) this.handlers.onGap?.(this.expected, f.tseq);
      this.handlers.onTelemetry(f);
      this.expected = f.tseq + 1;
    }
    if (upTo !== undefined && this.expected < upTo) {
      this.handlers.onGap?.(this.expected, upTo);
      this.expected = upTo;
    }
    this.acknowledge(upTo === undefined);
  }

  /** After attaching to a run in progress over a new connection: fetches the records this host
   *  missed and acknowledges them, so a board paused on a full ring of them goes on. */
  resume(): void {
    this.enqueue(() => this.recover());
  }
}

function describeError(frame: Frame): string {
  const { code, text } = decodeError(frame.payload);
  return `${errorCodeName(code)}: ${text}`;
}
