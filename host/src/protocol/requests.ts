// Payloads of host → board requests (docs/protocol.md, "Messages").
// Each has an encoder (the host) and a decoder (fake boards in tests, vectors).
import { ByteReader, ByteWriter, PayloadError } from './bytes.ts';
import { CONFIG_SIZE } from './constants.ts';

export const encodeHello = (hostVersion: number): Uint8Array => new ByteWriter().u16(hostVersion).finish();
export function decodeHello(p: Uint8Array): { version: number } {
  const r = new ByteReader(p, 'HELLO');
  const version = r.u16('version');
  r.end();
  return { version };
}

export interface UploadBegin {
  size: number;
  sha256: Uint8Array;
}
export function encodeUploadBegin({ size, sha256 }: UploadBegin): Uint8Array {
  if (sha256.length !== 32) throw new PayloadError(`sha256 must be 32 bytes, got ${sha256.length}`);
  return new ByteWriter().u32(size).bytes(sha256).finish();
}
export function decodeUploadBegin(p: Uint8Array): UploadBegin {
  const r = new ByteReader(p, 'UPLOAD_BEGIN');
  const result = { size: r.u32('size'), sha256: r.bytesOf(32, 'sha256') };
  r.end();
  return result;
}

/** UPLOAD_CHUNK and DATASET share this layout: u32 offset ‖ data. */
export interface OffsetData {
  offset: number;
  data: Uint8Array;
}
export const encodeOffsetData = ({ offset, data }: OffsetData): Uint8Array => new ByteWriter().u32(offset).bytes(data).finish();
export function decodeOffsetData(p: Uint8Array, what = 'UPLOAD_CHUNK'): OffsetData {
  const r = new ByteReader(p, what);
  return { offset: r.u32('offset'), data: r.rest() };
}

export function encodeConfigPayload(configStruct: Uint8Array): Uint8Array {
  if (configStruct.length !== CONFIG_SIZE) {
    throw new PayloadError(`CONFIG payload must be the ${CONFIG_SIZE}-byte ABI struct, got ${configStruct.length} bytes`);
  }
  return configStruct.slice();
}

const encodeU32 = (v: number): Uint8Array => new ByteWriter().u32(v).finish();
function decodeU32(p: Uint8Array, what: string, field: string): number {
  const r = new ByteReader(p, what);
  const v = r.u32(field);
  r.end();
  return v;
}

/** u32 steps [‖ u8 telemetry mode [‖ u16 count ‖ f64 θ]]; without the mode byte a board drops the oldest records (TelemetryMode); θ (with the mode) is written after init, before the first step. */
export function encodeTrainStart(steps: number, telemetryMode?: number, start?: ArrayLike<number>): Uint8Array {
  const w = new ByteWriter().u32(steps);
  if (telemetryMode !== undefined) w.u8(telemetryMode);
  else if (start) throw new PayloadError('TRAIN_START: a start θ needs the telemetry mode byte before it');
  if (start) {
    w.u16(start.length);
    for (let i = 0; i < start.length; i++) w.f64(start[i]);
  }
  return w.finish();
}
export function decodeTrainStart(p: Uint8Array): { steps: number; telemetryMode?: number; start?: Float64Array } {
  const r = new ByteReader(p, 'TRAIN_START');
  const steps = r.u32('steps');
  const telemetryMode = r.remaining > 0 ? r.u8('telemetry mode') : undefined;
  let start: Float64Array | undefined;
  if (r.remaining > 0) {
    start = new Float64Array(r.u16('count'));
    for (let i = 0; i < start.length; i++) start[i] = r.f64(`theta[${i}]`);
  }
  r.end();
  return { steps, ...(telemetryMode !== undefined ? { telemetryMode } : {}), ...(start ? { start } : {}) };
}

/** TELEMETRY_ACK: the host holds every record with tseq below next_tseq. */
export const encodeTelemetryAck = (nextTseq: number): Uint8Array => encodeU32(nextTseq);
export const decodeTelemetryAck = (p: Uint8Array): { nextTseq: number } => ({ nextTseq: decodeU32(p, 'TELEMETRY_ACK', 'next_tseq') });

export const encodeTelemetryFetch = (fromTseq: number): Uint8Array => encodeU32(fromTseq);
export const decodeTelemetryFetch = (p: Uint8Array): { fromTseq: number } => ({
  fromTseq: decodeU32(p, 'TELEMETRY_FETCH', 'from_tseq'),
});

/** PARAMS_READ request: u16 index of the first value wanted (the answer holds at most one frame's worth). */
export const encodeParamsRead = (first: number): Uint8Array => new ByteWriter().u16(first).finish();

/** PARAMS_WRITE request: u16 count ‖ f64 θ[count]. */
export function encodeParams(params: ArrayLike<number>): Uint8Array {
  const w = new ByteWriter().u16(params.length);
  for (let i = 0; i < params.length; i++) w.f64(params[i]);
  return w.finish();
}
export function decodeParams(p: Uint8Array, what = 'PARAMS'): Float64Array {
  const r = new ByteReader(p, what);
  const count = r.u16('count');
  const params = new Float64Array(count);
  for (let i = 0; i < count; i++) params[i] = r.f64(`theta[${i}]`);
  r.end();
  return params;
}
