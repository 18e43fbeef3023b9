// An in-process board for the client's unit tests: the protocol of
// docs/protocol.md written plainly over a memory link, with knobs for faults
// (ignored HELLOs, another protocol version, a lost chunk, lost telemetry, a
// small ring). Its training emits synthetic 64-byte records (step index and a
// marker), not a real module's.
import { createHash } from 'node:crypto';
import { ErrorCode, MessageType, PROTOCOL_VERSION, UNSOLICITED_SEQ } from '../src/protocol/constants.ts';
import { FrameDecoder } from '../src/protocol/decoder.ts';
import { encodeFrame, encodeRawFrame, wireBytes, type Frame } from '../src/protocol/frame.ts';
import {
  decodeDataset,
  decodeTelemetryFetch,
  decodeTrainStart,
  decodeUploadBegin,
  decodeUploadChunk,
  encodeDatasetOk,
  encodeDone,
  encodeError,
  encodeTelemetryFetchOk,
  encodeTrainStartOk,
  encodeUploadBeginOk,
  encodeUploadChunkOk,
  encodeUploadCommitOk,
  encodeStatus,
  encodeTelemetry,
  type TelemetryMessage,
} from '../src/protocol/payloads.generated.ts';
import { encodeDeviceInfo } from '../src/protocol/info.ts';
import type { Transport } from '../src/transport/transport.ts';

export interface FakeBoardOptions {
  /** HELLOs ignored before the first answer (a board still booting). */
  ignoreHellos?: number;
  /** Version in INFO and in the header of every frame sent. */
  protocolVersion?: number;
  /** Refuse the chunk at this offset once with UPLOAD_OFFSET (as if it were lost). */
  loseChunkAt?: number;
  /** tseqs whose live TELEMETRY frame is not sent (still kept in the ring). */
  dropTelemetry?: number[];
  ringCapacity?: number;
  /** Never answer anything. */
  silent?: boolean;
  /** A run's steps happen only when advance() is called (a step as long as the test wants). */
  manualSteps?: boolean;
}

export class FakeBoard {
  readonly received: Frame[] = [];
  hellosSeen = 0;
  maxChunksInFlight = 0;
  private chunksInFlight = 0;
  private readonly decoder = new FrameDecoder({ waitForDelimiter: false });
  private upload: { size: number; sha: Buffer; bytes: Buffer; held: number } | null = null;
  module: Buffer | null = null;
  private ring: TelemetryMessage[] = [];
  private nextTseq = 1;
  private lostChunk = false;
  private training: { steps: number; done: number; stop: boolean } | null = null;
  /** STATUS requests answered while a run was going on. */
  statusDuringRun = 0;
  /** Answers nothing from now on (a board stuck, or gone without closing the link). */
  deaf = false;
  /** Set by restart(): INFO then carries a boot section with this reset cause. */
  private resetCause: number | null = null;

  constructor(
    private readonly link: Transport,
    private readonly options: FakeBoardOptions = {},
  ) {
    link.onData((chunk) => {
      for (const e of this.decoder.push(chunk)) if (e.kind === 'frame') this.handle(e.frame);
    });
  }

  private send(type: number, seq: number, payload?: Uint8Array): void {
    const version = this.options.protocolVersion ?? PROTOCOL_VERSION;
    const bytes =
      version === PROTOCOL_VERSION ? encodeFrame(type, seq, payload) : wireBytes(encodeRawFrame(type, seq, payload, { version }));
    this.link.write(bytes).catch(() => undefined);
  }
  private ok(seq: number, payload?: Uint8Array): void {
    this.send(MessageType.OK, seq, payload);
  }
  private error(seq: number, code: number, text: string): void {
    this.send(MessageType.ERROR, seq, encodeError({ code, text }));
  }

  private handle(f: Frame): void {
    this.received.push(f);
    if (f.type === MessageType.HELLO) this.hellosSeen++;
    if (this.options.silent || this.deaf) return;
    switch (f.type) {
      case MessageType.HELLO:
        if (this.hellosSeen <= (this.options.ignoreHellos ?? 0)) return;
        this.send(MessageType.INFO, f.seq, this.info());
        return;
      case MessageType.STATUS_REQUEST:
        if (this.training) this.statusDuringRun++;
        this.send(
          MessageType.STATUS,
          f.seq,
          encodeStatus({
            state: this.training ? 1 : 0,
            step: 0,
            nextTseq: this.nextTseq,
            activeSlot: this.module ? 0 : 0xff,
            shotsTotal: 0n,
          }),
        );
        return;
      case MessageType.UPLOAD_BEGIN: {
        const { size, sha256 } = decodeUploadBegin(f.payload);
        const same = this.upload && this.upload.size === size && this.upload.sha.equals(Buffer.from(sha256));
        if (!same) this.upload = { size, sha: Buffer.from(sha256), bytes: Buffer.alloc(size), held: 0 };
        this.ok(f.seq, encodeUploadBeginOk({ resume: this.upload!.held }));
        return;
      }
      case MessageType.UPLOAD_CHUNK:
        this.chunk(f);
        return;
      case MessageType.UPLOAD_COMMIT: {
        const u = this.upload!;
        if (u.held !== u.size) {
          this.error(f.seq, ErrorCode.UPLOAD_INCOMPLETE, `${u.held} of ${u.size} bytes`);
          return;
        }
        if (!createHash('sha256').update(u.bytes).digest().equals(u.sha)) {
          this.error(f.seq, ErrorCode.HASH_MISMATCH, 'sha256 differs');
          return;
        }
        this.module = u.bytes;
        this.ok(f.seq, encodeUploadCommitOk({ activeSlot: 0, sha256: u.sha }));
        return;
      }
      case MessageType.CONFIG:
        this.ok(f.seq);
        return;
      case MessageType.DATASET: {
        const { offset, data } = decodeDataset(f.payload);
        this.ok(f.seq, encodeDatasetOk({ end: offset + data.length }));
        return;
      }
      case MessageType.TRAIN_START:
        this.training = { steps: decodeTrainStart(f.payload).steps, done: 0, stop: false };
        this.ok(f.seq, encodeTrainStartOk({ paramCount: 3 }));
        if (!this.options.manualSteps) setImmediate(() => this.step());
        return;
      case MessageType.TRAIN_STOP:
        if (this.training) this.training.stop = true;
        this.ok(f.seq);
        return;
      case MessageType.TELEMETRY_FETCH: {
        const from = decodeTelemetryFetch(f.payload).fromTseq;
        const firstHeld = this.ring[0]?.tseq ?? this.nextTseq;
        for (const t of this.ring) if (t.tseq >= from) this.send(MessageType.TELEMETRY, f.seq, encodeTelemetry(t));
        this.ok(
          f.seq,
          encodeTelemetryFetchOk({ firstHeld, nextTseq: this.nextTseq, missing: Math.max(0, Math.min(firstHeld, this.nextTseq) - from) }),
        );
        return;
      }
      default:
        this.error(f.seq, ErrorCode.UNKNOWN_TYPE, `unknown request type ${f.type}`);
        return;
    }
  }

  private chunk(f: Frame): void {
    const { offset, data } = decodeUploadChunk(f.payload);
    const u = this.upload!;
    // Answer asynchronously so several chunks can be in flight, as on a real link.
    this.chunksInFlight++;
    this.maxChunksInFlight = Math.max(this.maxChunksInFlight, this.chunksInFlight);
    setImmediate(() => {
      this.chunksInFlight--;
      if (offset === this.options.loseChunkAt && !this.lostChunk) {
        this.lostChunk = true;
        return this.error(f.seq, ErrorCode.UPLOAD_OFFSET, `expected offset ${u.held}`);
      }
      if (offset !== u.held) return this.error(f.seq, ErrorCode.UPLOAD_OFFSET, `expected offset ${u.held}`);
      data.forEach((b, i) => {
        u.bytes[offset + i] = b;
      });
      u.held += data.length;
      this.ok(f.seq, encodeUploadChunkOk({ received: u.held }));
    });
  }

  private step(): void {
    const run = this.training!;
    if (run.stop || (run.steps > 0 && run.done >= run.steps)) {
      this.training = null;
      this.send(
        MessageType.DONE,
        UNSOLICITED_SEQ,
        encodeDone({ status: run.stop ? 1 : 0, steps: run.done, shotsTotal: 0n, trainLoss: 0.5, testAccuracy: 1, testLoss: 0.25 }),
      );
      return;
    }
    run.done++;
    const record = new Uint8Array(64);
    new DataView(record.buffer).setUint32(0, run.done, true);
    record.fill(0xab, 8, 12);
    const frame = { tseq: this.nextTseq++, stepUs: 100 + run.done, record };
    this.ring.push(frame);
    if (this.ring.length > (this.options.ringCapacity ?? 64)) this.ring.shift();
    if (!this.options.dropTelemetry?.includes(frame.tseq)) this.send(MessageType.TELEMETRY, UNSOLICITED_SEQ, encodeTelemetry(frame));
    if (!this.options.manualSteps) setImmediate(() => this.step());
  }

  /** With manualSteps: the run's next step ends now (its TELEMETRY, or DONE after the last). */
  advance(): void {
    if (this.training) this.step();
  }

  /** The board restarts (watchdog, crash, power): the run is gone without a DONE, tseq starts again at 1. */
  restart(cause: number): void {
    this.training = null;
    this.ring = [];
    this.nextTseq = 1;
    this.resetCause = cause;
  }

  private info(): Uint8Array {
    const sha = this.module ? createHash('sha256').update(this.module).digest() : Buffer.alloc(32);
    return encodeDeviceInfo({
      protocolVersion: this.options.protocolVersion ?? PROTOCOL_VERSION,
      abiVersion: 1,
      maxPayload: 1024,
      ringCapacity: this.options.ringCapacity ?? 64,
      slotSize: 32768,
      pageSize: 65536,
      maxQubits: this.module ? 10 : 0,
      activeSlot: this.module ? 0 : 0xff,
      moduleSize: this.module?.length ?? 0,
      moduleSha256: new Uint8Array(sha),
      firmwareVersion: 'fake',
      boardName: 'fake',
      ...(this.resetCause === null
        ? {}
        : {
            security: {
              provisioned: false,
              moduleVerified: false,
              floor: 0,
              moduleVersion: 0,
              moduleCounter: 0,
              nonce: new Uint8Array(16),
              lastCounter: 0,
            },
            boot: { pending: false, trialStepsLeft: 0, event: 0, eventCause: 0, resetCause: this.resetCause },
          }),
    });
  }
}
