// One frame: header ‖ payload ‖ CRC-32, COBS-encoded and 0x00-terminated on the wire.
import { crc32 as zlibCrc32 } from 'node:zlib';
import { cobsEncode } from './cobs.ts';
import { CRC_SIZE, ErrorCode, HEADER_SIZE, MAX_PAYLOAD, PROTOCOL_VERSION } from './constants.ts';

export interface Frame {
  version: number;
  type: number;
  seq: number;
  payload: Uint8Array;
}

/** CRC-32/ISO-HDLC (zlib's). */
export function crc32(bytes: Uint8Array): number {
  return zlibCrc32(bytes) >>> 0;
}

/** header ‖ payload ‖ crc, before COBS. `version` and `length` may be overridden to build malformed frames in tests. */
export function encodeRawFrame(
  type: number,
  seq: number,
  payload: Uint8Array = new Uint8Array(0),
  overrides: { version?: number; length?: number } = {},
): Uint8Array {
  if (payload.length > MAX_PAYLOAD) {
    throw new RangeError(`payload of ${payload.length} bytes exceeds the ${MAX_PAYLOAD}-byte maximum`);
  }
  const raw = new Uint8Array(HEADER_SIZE + payload.length + CRC_SIZE);
  const view = new DataView(raw.buffer);
  view.setUint8(0, overrides.version ?? PROTOCOL_VERSION);
  view.setUint8(1, type);
  view.setUint16(2, seq, true);
  view.setUint16(4, overrides.length ?? payload.length, true);
  raw.set(payload, HEADER_SIZE);
  view.setUint32(HEADER_SIZE + payload.length, crc32(raw.subarray(0, HEADER_SIZE + payload.length)), true);
  return raw;
}

/** The exact wire bytes of a frame: COBS(raw) ‖ 0x00. */
export function encodeFrame(type: number, seq: number, payload?: Uint8Array): Uint8Array {
  return wireBytes(encodeRawFrame(type, seq, payload));
}

export function wireBytes(raw: Uint8Array): Uint8Array {
  const enc = cobsEncode(raw);
  const out = new Uint8Array(enc.length + 1);
  out.set(enc);
  return out;
}

export interface FrameFault {
  code: number;
  message: string;
  /** Header fields when they could be read (lets a receiver answer with the right seq). */
  seq?: number;
  version?: number;
}

export type ParsedFrame = { ok: true; frame: Frame } | { ok: false; fault: FrameFault };

/** Validates a COBS-decoded frame: size, CRC, version, payload size, length — in that order.
 *  Faults after the CRC check carry the header's seq (the board answers with it); a bad CRC means the header cannot be trusted. */
export function parseRawFrame(raw: Uint8Array): ParsedFrame {
  if (raw.length < HEADER_SIZE + CRC_SIZE) {
    return fault(ErrorCode.BAD_FRAME, `frame of ${raw.length} bytes is shorter than header + CRC (${HEADER_SIZE + CRC_SIZE})`);
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const body = raw.subarray(0, raw.length - CRC_SIZE);
  const got = view.getUint32(raw.length - CRC_SIZE, true);
  const want = crc32(body);
  const version = view.getUint8(0);
  const seq = view.getUint16(2, true);
  if (got !== want) {
    return fault(ErrorCode.BAD_CRC, `CRC mismatch: frame says 0x${hex32(got)}, computed 0x${hex32(want)}`);
  }
  if (version !== PROTOCOL_VERSION) {
    return fault(ErrorCode.PROTOCOL_VERSION, `frame has protocol version ${version}, this host speaks version ${PROTOCOL_VERSION}`, {
      seq,
      version,
    });
  }
  const length = view.getUint16(4, true);
  const payloadLength = body.length - HEADER_SIZE;
  if (payloadLength > MAX_PAYLOAD) {
    return fault(ErrorCode.OVERSIZE, `payload of ${payloadLength} bytes exceeds the ${MAX_PAYLOAD}-byte maximum`, { seq, version });
  }
  if (length !== payloadLength) {
    return fault(ErrorCode.BAD_LENGTH, `header length ${length} differs from the payload's ${payloadLength} bytes`, { seq, version });
  }
  return { ok: true, frame: { version, type: view.getUint8(1), seq, payload: raw.slice(HEADER_SIZE, HEADER_SIZE + length) } };
}

function fault(code: number, message: string, extra: { seq?: number; version?: number } = {}): ParsedFrame {
  return { ok: false, fault: { code, message, ...extra } };
}

function hex32(n: number): string {
  return n.toString(16).padStart(8, '0');
}
