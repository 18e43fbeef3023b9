// Incremental frame decoder: feed it bytes as they arrive; it returns whole frames
// and faults (bad CRC, oversize, …). It resynchronises at every 0x00.
import { cobsDecode } from './cobs.ts';
import { ErrorCode, MAX_ENCODED_FRAME } from './constants.ts';
import { parseRawFrame, type Frame, type FrameFault, type ParsedFrame } from './frame.ts';

export type DecodeEvent = { kind: 'frame'; frame: Frame } | { kind: 'fault'; fault: FrameFault };

export interface FrameDecoderOptions {
  /** Start unsynchronised: until the first 0x00 the receiver may have joined mid-frame,
   *  so faults in that first stretch are dropped silently (a clean first frame still counts). Default true. */
  waitForDelimiter?: boolean;
}

export class FrameDecoder {
  private readonly buf = new Uint8Array(MAX_ENCODED_FRAME);
  private len = 0;
  private synced: boolean;
  private overflowing = false;

  constructor(options: FrameDecoderOptions = {}) {
    this.synced = !(options.waitForDelimiter ?? true);
  }

  push(chunk: Uint8Array): DecodeEvent[] {
    const events: DecodeEvent[] = [];
    for (const byte of chunk) {
      if (byte === 0) {
        this.endOfFrame(events);
        continue;
      }
      if (this.overflowing) continue;
      if (this.len === this.buf.length) {
        // Reported even before the first delimiter: no frame is that long.
        this.len = 0;
        this.overflowing = true;
        events.push({
          kind: 'fault',
          fault: { code: ErrorCode.OVERSIZE, message: `more than ${MAX_ENCODED_FRAME} bytes without a frame delimiter` },
        });
        continue;
      }
      this.buf[this.len++] = byte;
    }
    return events;
  }

  private endOfFrame(events: DecodeEvent[]): void {
    const wasSynced = this.synced;
    const wasOverflowing = this.overflowing;
    const encoded = this.buf.subarray(0, this.len);
    this.synced = true;
    this.overflowing = false;
    this.len = 0;
    if (wasOverflowing || encoded.length === 0) return;
    const raw = cobsDecode(encoded);
    const event: DecodeEvent =
      raw === null
        ? { kind: 'fault', fault: { code: ErrorCode.BAD_FRAME, message: 'invalid COBS encoding' } }
        : toEvent(parseRawFrame(raw));
    if (event.kind === 'fault' && !wasSynced) return;
    events.push(event);
  }
}

function toEvent(parsed: ParsedFrame): DecodeEvent {
  return parsed.ok ? { kind: 'frame', frame: parsed.frame } : { kind: 'fault', fault: parsed.fault };
}
