// FrameLink: frames over a Transport. Matches answers to requests by seq (with
// timeouts), and hands frames the board sends on its own (seq 0: TELEMETRY, LOG,
// DONE, ERROR) to listeners. When the transport closes every pending request is
// rejected with LinkLostError — nothing is left hanging.
import { MessageType, UNSOLICITED_SEQ } from '../protocol/constants.ts';
import { FrameDecoder } from '../protocol/decoder.ts';
import { encodeFrame, type Frame, type FrameFault } from '../protocol/frame.ts';
import { decodeError } from '../protocol/payloads.generated.ts';
import type { Transport } from '../transport/transport.ts';
import { BoardError, LinkLostError, RequestTimeoutError } from './errors.ts';

export interface RequestOptions {
  timeoutMs: number;
  /** Frames carrying this request's seq that come before the final answer (TELEMETRY_FETCH). */
  onIntermediate?: (frame: Frame) => boolean;
  /** Called synchronously when the answer arrives, before any later frame is routed. */
  onAnswer?: (frame: Frame) => void;
}

interface Pending {
  type: number;
  resolve(frame: Frame): void;
  reject(err: Error): void;
  onIntermediate?: (frame: Frame) => boolean;
  onAnswer?: (frame: Frame) => void;
  timer: NodeJS.Timeout;
}

export type FrameListener = (frame: Frame) => void;

/** Rewrites a request payload before it is sent (authentication trailers, src/security/auth.ts). */
export interface RequestSealer {
  seal(type: number, payload: Uint8Array): Uint8Array;
  /** Payload bytes a sealed request may add. */
  readonly overhead: number;
}

export class FrameLink {
  private readonly decoder = new FrameDecoder();
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<FrameListener>();
  private readonly faultListeners = new Set<(fault: FrameFault) => void>();
  private readonly closeListeners = new Set<(err: LinkLostError) => void>();
  private nextSeq = 1;
  private lost: LinkLostError | null = null;
  private sealer: RequestSealer | null = null;

  constructor(readonly transport: Transport) {
    transport.onData((chunk) => {
      for (const event of this.decoder.push(chunk)) {
        if (event.kind === 'frame') this.route(event.frame);
        else for (const l of this.faultListeners) l(event.fault);
      }
    });
    transport.onClose((err) => this.onTransportClosed(err));
  }

  get description(): string {
    return this.transport.description;
  }

  get closedError(): LinkLostError | null {
    return this.lost;
  }

  /** Unsolicited frames (seq 0) and answers nobody waits for any more. Returns an unsubscribe function. */
  onFrame(listener: FrameListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Frames that failed to decode (bad CRC …) — diagnostics only. */
  onFault(listener: (fault: FrameFault) => void): () => void {
    this.faultListeners.add(listener);
    return () => this.faultListeners.delete(listener);
  }

  onLost(listener: (err: LinkLostError) => void): () => void {
    if (this.lost) listener(this.lost);
    else this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /** Seals every later request (null: send payloads as they are). */
  setSealer(sealer: RequestSealer | null): void {
    this.sealer = sealer;
  }

  /** Payload bytes a request may add on the wire; data chunks are this much smaller. */
  get requestOverhead(): number {
    return this.sealer?.overhead ?? 0;
  }

  private allocateSeq(): number {
    for (;;) {
      const seq = this.nextSeq;
      this.nextSeq = this.nextSeq === 0xffff ? 1 : this.nextSeq + 1;
      if (seq !== UNSOLICITED_SEQ && !this.pending.has(seq)) return seq;
    }
  }

  /** Sends a request; resolves with the answer frame, rejects with BoardError on ERROR. */
  request(type: number, payload: Uint8Array | undefined, options: RequestOptions): Promise<Frame> {
    if (this.lost) return Promise.reject(this.lost);
    const seq = this.allocateSeq();
    const answer = new Promise<Frame>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(seq);
        reject(new RequestTimeoutError(type, options.timeoutMs, this.description));
      }, options.timeoutMs);
      this.pending.set(seq, { type, resolve, reject, onIntermediate: options.onIntermediate, onAnswer: options.onAnswer, timer });
    });
    const body = this.sealer ? this.sealer.seal(type, payload ?? new Uint8Array(0)) : payload;
    this.transport.write(encodeFrame(type, seq, body)).catch((err: Error) => this.failPending(seq, err));
    return answer;
  }

  /** Writes raw bytes (fault-injection tests). */
  async sendRaw(bytes: Uint8Array): Promise<void> {
    if (this.lost) throw this.lost;
    await this.transport.write(bytes);
  }

  private failPending(seq: number, err: Error): void {
    const p = this.pending.get(seq);
    if (!p) return;
    clearTimeout(p.timer);
    this.pending.delete(seq);
    p.reject(this.lost ?? new LinkLostError(this.description, err));
  }

  private route(frame: Frame): void {
    const p = frame.seq !== UNSOLICITED_SEQ ? this.pending.get(frame.seq) : undefined;
    if (p) {
      if (p.onIntermediate?.(frame)) return;
      clearTimeout(p.timer);
      this.pending.delete(frame.seq);
      p.onAnswer?.(frame);
      if (frame.type === MessageType.ERROR) {
        const { code, text } = decodeError(frame.payload);
        p.reject(new BoardError(p.type, code, text));
      } else {
        p.resolve(frame);
      }
      return;
    }
    for (const l of this.listeners) l(frame);
  }

  private onTransportClosed(err: Error | null): void {
    if (this.lost) return;
    this.lost = new LinkLostError(this.description, err);
    for (const [seq] of this.pending) this.failPending(seq, this.lost);
    for (const l of this.closeListeners) l(this.lost);
  }

  async close(): Promise<void> {
    await this.transport.close();
  }
}
