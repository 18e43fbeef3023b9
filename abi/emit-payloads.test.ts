// Payload layouts: the parser refuses what cannot be laid out, bounds follow from layouts, and every
// described payload round-trips through its generated codec with the length its layout gives.
import { describe, expect, it } from 'vitest';
import * as P from '../host/src/protocol/payloads.generated.ts';
import { codecs } from './emit-payloads.ts';
import { payloadBounds } from './emit-protocol.ts';
import { type Field, type Part, SCALAR_SIZES, camel, derivedBounds, parseLayout } from './payload-layout.ts';
import { REQUESTS } from './qiot-protocol.ts';

const ARRAYS = { u8: Uint8Array, u16: Uint16Array, u32: Uint32Array, i32: Int32Array, f32: Float32Array, f64: Float64Array } as const;

/** A sample value for each field (two elements per array) and the bytes it takes. */
function sample(f: Field, seed: number): { value?: unknown; size: number } {
  switch (f.kind) {
    case 'scalar':
      if (f.countOf) return { size: SCALAR_SIZES[f.type] };
      return { value: f.type === 'u64' ? 2n ** 40n + BigInt(seed) : seed % 200, size: SCALAR_SIZES[f.type] };
    case 'bytes':
      return { value: Uint8Array.from({ length: f.size }, (_, i) => (i * 7 + seed) & 0xff), size: f.size };
    case 'str8':
      return { value: `s${seed}é`, size: 1 + Buffer.byteLength(`s${seed}é`) };
    case 'text':
      return { value: `text ${seed}`, size: Buffer.byteLength(`text ${seed}`) };
    case 'array':
    case 'rest':
      if (f.type === 'u64') return { value: BigUint64Array.of(1n, 2n), size: 16 };
      return { value: ARRAYS[f.type].of(seed % 100, 3), size: 2 * SCALAR_SIZES[f.type] };
    case 'strings':
      return { value: [new Uint8Array(f.size).fill(seed), new Uint8Array(f.size).fill(seed + 1)], size: 2 * f.size };
  }
}

function sampleOf(part: Part, depth: number): { value: Record<string, unknown>; size: number } {
  const value: Record<string, unknown> = {};
  let size = 0;
  for (let p: Part | undefined = part, d = 0; p && d <= depth; p = p.optional, d++) {
    p.fields.forEach((f, i) => {
      const s = sample(f, 10 * d + i + 1);
      if (s.value !== undefined) value[camel(f.name)] = s.value;
      size += s.size;
    });
  }
  return { value, size };
}

const codecFns = P as unknown as Record<string, (x: unknown) => unknown>;

describe('payload layouts', () => {
  it('refuse what cannot be laid out', () => {
    expect(() => parseLayout(['u32 a', ['u8 b'], 'u8 c'], 'X')).toThrow(/X: an optional part must come last/);
    expect(() => parseLayout(['u8 a[]', 'u8 b'], 'X')).toThrow(/'a' runs to the end of the payload, so it must come last/);
    expect(() => parseLayout(['text a', ['u8 b']], 'X')).toThrow(/'a' runs to the end/);
    expect(() => parseLayout(['f64 a[n]'], 'X')).toThrow(/no earlier field 'n' counts it/);
    expect(() => parseLayout(['f64 n', 'f64 a[n]'], 'X')).toThrow(/'n', which is not an integer field/);
    expect(() => parseLayout(['u8 n', 'u8 a[n]', 'u8 b[n]'], 'X')).toThrow(/'n' already counts 'a'/);
    expect(() => parseLayout(['u8 a', 'u16 a'], 'X')).toThrow(/field 'a' appears twice/);
    expect(() => parseLayout(['u8 a[HUGE]'], 'X')).toThrow(/'HUGE' is neither an earlier field nor a size of SIZES/);
    expect(() => parseLayout(['text a[3]'], 'X')).toThrow(/text 'a' takes no length/);
    expect(() => parseLayout(['u32 a', []], 'X')).toThrow(/an optional part is empty/);
  });

  it('refuse two messages whose codecs would share a name', () => {
    const twin = { ...REQUESTS[0], symbol: 'STATUS', code: 0x70, handler: 'twin', payload: ['u8 a'], ok: [] };
    expect(() => codecs([...REQUESTS, twin])).toThrow(/STATUS: a second codec named encodeStatus\/decodeStatus/);
  });

  it('give the payload bounds: min without optional parts, max with all, QIOT_MAX_PAYLOAD when a length varies', () => {
    expect(derivedBounds(parseLayout(['u32 a', ['u8 b', ['u16 c']]], 'X'))).toEqual({ min: 4, max: 7 });
    expect(derivedBounds(parseLayout(['u8 n', 'f64 a[n]'], 'X'))).toEqual({ min: 1, max: 'QIOT_MAX_PAYLOAD' });
    expect(derivedBounds(parseLayout(['u8 c[CONFIG_SIZE]'], 'X'))).toEqual({
      min: 'QIOT_CONFIG_STRUCT_SIZE',
      max: 'QIOT_CONFIG_STRUCT_SIZE',
    });
    expect(derivedBounds(parseLayout(['u16 a', 'u8 c[CONFIG_SIZE]'], 'X'))).toEqual({
      min: '2 + QIOT_CONFIG_STRUCT_SIZE',
      max: '2 + QIOT_CONFIG_STRUCT_SIZE',
    });
    expect(derivedBounds(parseLayout([], 'X'))).toEqual({ min: 0, max: 0 });
  });

  it('keep the version-1 payload bounds of the request table (firmware/core/qiot_requests.h before layouts)', () => {
    const v1: Record<string, [number | string, number | string]> = {
      HELLO: [2, 2],
      UPLOAD_BEGIN: [36, '36 + 11 + QIOT_MAX_TARGET_NAME + 64'],
      UPLOAD_CHUNK: [5, 'QIOT_MAX_PAYLOAD'],
      UPLOAD_COMMIT: [0, 0],
      CONFIG: ['QIOT_CONFIG_STRUCT_SIZE', 'QIOT_CONFIG_STRUCT_SIZE'],
      DATASET: [4, 'QIOT_MAX_PAYLOAD'],
      TRAIN_START: [4, 'QIOT_MAX_PAYLOAD'],
      TRAIN_STOP: [0, 0],
      STATUS_REQUEST: [0, 0],
      TELEMETRY_FETCH: [4, 4],
      RESET: [0, 0],
      PARAMS_READ: [0, 2],
      PARAMS_WRITE: [2, 'QIOT_MAX_PAYLOAD'],
      PROVISION: [1, '1 + QIOT_MAX_TRUSTED_KEYS * 32 + QIOT_CONTROL_KEY_SIZE'],
      TELEMETRY_ACK: [4, 4],
    };
    for (const r of REQUESTS.filter((x) => x.symbol in v1)) {
      const { min, max } = payloadBounds(r);
      expect([min, max], r.symbol).toEqual(v1[r.symbol]);
    }
  });

  it('every described payload round-trips through its generated codec, with and without its optional parts', () => {
    const all = codecs();
    expect(all.length).toBeGreaterThanOrEqual(20);
    for (const c of all) {
      const encode = codecFns[`encode${c.fn}`];
      const decode = codecFns[`decode${c.fn}`];
      expect(encode, c.fn).toBeTypeOf('function');
      let depth = 0;
      for (let p = c.part.optional; p; p = p.optional) depth++;
      for (let d = 0; d <= depth; d++) {
        const { value, size } = sampleOf(c.part, d);
        const bytes = encode(value) as Uint8Array;
        expect(bytes.length, `${c.what} with ${d} optional part(s)`).toBe(size);
        expect(decode(bytes), c.what).toEqual(value);
        expect(encode(decode(bytes)), c.what).toEqual(bytes);
      }
    }
  });
});
