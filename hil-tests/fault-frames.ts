// Seeded faulty input for the link, and what the board must answer to it.
//
// The answers are predicted by the host's own receiver (host/src/protocol/decoder.ts, a
// TypeScript implementation of the receiver checks of docs/protocol.md) plus the dispatcher's
// one rule that applies (an unknown type → UNKNOWN_TYPE): the board's C receiver must agree
// with it error for error, seq for seq.
import { SplitMix64 } from '../host/src/data/prng.ts';
import {
  CRC_SIZE,
  ErrorCode,
  HEADER_SIZE,
  MAX_ENCODED_FRAME,
  MAX_PAYLOAD,
  MessageType,
  PROTOCOL_VERSION,
} from '../host/src/protocol/constants.ts';
import { FrameDecoder } from '../host/src/protocol/decoder.ts';
import { crc32, encodeFrame, encodeRawFrame, wireBytes } from '../host/src/protocol/frame.ts';
import { encodeHello, encodeTelemetryFetch } from '../host/src/protocol/payloads.generated.ts';
import { FAULTS } from './limits.ts';

export const FAULT_KINDS = [
  'bit-flip',
  'truncated',
  'garbage',
  'wrong-length',
  'wrong-version',
  'unknown-type',
  'oversize-payload',
  'oversize-run',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultCase {
  kind: FaultKind;
  bytes: Uint8Array;
}

/** An ERROR the board sends back: its code and seq. */
export interface ExpectedError {
  code: number;
  seq: number;
}

const REQUEST_TYPES = new Set<number>(Object.values(MessageType).filter((t) => t < 0x80));

export class FaultGenerator {
  private readonly rng: SplitMix64;

  constructor(seed: number) {
    this.rng = new SplitMix64(seed);
  }

  private below = (n: number) => this.rng.nextBelow(n);
  private seq = () => 1 + this.below(0xffff);
  private randomBytes(n: number, nonZero = false): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = nonZero ? 1 + this.below(255) : this.below(256);
    return out;
  }

  /** A harmless request's wire bytes (HELLO, STATUS or TELEMETRY_FETCH): whatever a fault does to
   *  it, the board is never asked to change anything. */
  private harmlessFrame(): Uint8Array {
    const pick = this.below(3);
    if (pick === 0) return encodeFrame(MessageType.HELLO, this.seq(), encodeHello({ version: PROTOCOL_VERSION }));
    if (pick === 1) return encodeFrame(MessageType.STATUS_REQUEST, this.seq());
    return encodeFrame(MessageType.TELEMETRY_FETCH, this.seq(), encodeTelemetryFetch({ fromTseq: this.below(1000) }));
  }

  next(): FaultCase {
    const kind: FaultKind = this.below(FAULTS.oversizeOneIn) === 0 ? 'oversize-run' : FAULT_KINDS[this.below(FAULT_KINDS.length - 1)];
    return { kind, bytes: this.build(kind) };
  }

  private build(kind: FaultKind): Uint8Array {
    switch (kind) {
      case 'bit-flip': {
        const wire = this.harmlessFrame();
        // 1–3 distinct bits, never the delimiter (flipping a bit twice would undo the fault).
        const bits = new Set<number>();
        for (let flips = 1 + this.below(3); bits.size < flips; ) bits.add(this.below((wire.length - 1) * 8));
        for (const bit of bits) wire[bit >> 3] ^= 1 << (bit & 7);
        return wire;
      }
      case 'truncated': {
        const wire = this.harmlessFrame();
        return Uint8Array.from([...wire.subarray(0, 1 + this.below(wire.length - 2)), 0]);
      }
      case 'garbage':
        return Uint8Array.from([...this.randomBytes(1 + this.below(64)), 0]);
      case 'wrong-length': {
        const payload = this.randomBytes(this.below(16));
        let length = this.below(MAX_PAYLOAD + 1);
        if (length === payload.length) length += 1;
        return wireBytes(encodeRawFrame(MessageType.HELLO, this.seq(), payload, { length }));
      }
      case 'wrong-version': {
        const version = (PROTOCOL_VERSION + 1 + this.below(255)) & 0xff;
        return wireBytes(encodeRawFrame(MessageType.HELLO, this.seq(), encodeHello({ version: version }), { version }));
      }
      case 'unknown-type': {
        let type = this.below(256);
        while (REQUEST_TYPES.has(type)) type = this.below(256);
        return encodeFrame(type, this.seq(), this.randomBytes(this.below(8)));
      }
      case 'oversize-payload':
        return wireBytes(rawFrameWithPayload(MessageType.DATASET, this.seq(), this.randomBytes(MAX_PAYLOAD + 1)));
      case 'oversize-run':
        return Uint8Array.from([...this.randomBytes(MAX_ENCODED_FRAME + 1 + this.below(64), true), 0]);
    }
  }
}

/** header ‖ payload ‖ crc for any payload size (encodeRawFrame rightly refuses oversize ones).
 *  With 1025 payload bytes the COBS encoding still fits the 1040-byte bound, so the board decodes
 *  it and answers OVERSIZE with the frame's seq. */
function rawFrameWithPayload(type: number, seq: number, payload: Uint8Array): Uint8Array {
  const raw = new Uint8Array(HEADER_SIZE + payload.length + CRC_SIZE);
  const view = new DataView(raw.buffer);
  view.setUint8(0, PROTOCOL_VERSION);
  view.setUint8(1, type);
  view.setUint16(2, seq, true);
  view.setUint16(4, payload.length, true);
  raw.set(payload, HEADER_SIZE);
  view.setUint32(HEADER_SIZE + payload.length, crc32(raw.subarray(0, HEADER_SIZE + payload.length)), true);
  return raw;
}

/** The board's expected ERRORs, in order, to bytes sent after the link is in sync (the host
 *  has sent frames before, so the board has seen a 0x00). `validRequests` counts frames that
 *  decode as valid requests: the generator is built never to produce one (a CRC-32 collision). */
export class AnswerModel {
  private readonly decoder = new FrameDecoder({ waitForDelimiter: false });
  validRequests = 0;

  errorsFor(bytes: Uint8Array): ExpectedError[] {
    const errors: ExpectedError[] = [];
    for (const event of this.decoder.push(bytes)) {
      if (event.kind === 'fault') errors.push({ code: event.fault.code, seq: event.fault.seq ?? 0 });
      else if (!REQUEST_TYPES.has(event.frame.type)) errors.push({ code: ErrorCode.UNKNOWN_TYPE, seq: event.frame.seq });
      else this.validRequests++;
    }
    return errors;
  }
}
