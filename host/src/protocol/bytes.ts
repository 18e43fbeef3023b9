// Little-endian cursor reader/writer for message payloads.

export class PayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadError';
  }
}

const SIZES = { u8: 1, u16: 2, u32: 4, u64: 8, i32: 4, f32: 4, f64: 8 } as const;
export type Scalar = keyof typeof SIZES;
interface ScalarArrays {
  u8: Uint8Array;
  u16: Uint16Array;
  u32: Uint32Array;
  u64: BigUint64Array;
  i32: Int32Array;
  f32: Float32Array;
  f64: Float64Array;
}
const ARRAYS = {
  u8: Uint8Array,
  u16: Uint16Array,
  u32: Uint32Array,
  u64: BigUint64Array,
  i32: Int32Array,
  f32: Float32Array,
  f64: Float64Array,
} as const;

/** What an encoder takes: a payload whose number arrays may be any array-like of numbers. */
export type Encodable<T> = {
  [K in keyof T]: NonNullable<T[K]> extends Float64Array | Float32Array | Int32Array | Uint32Array | Uint16Array ? ArrayLike<number> : T[K];
};

/** A field of an optional part that is written: every field of that part must be given. */
export function need<T>(v: T | undefined, what: string, field: string): T {
  if (v === undefined) throw new PayloadError(`${what}: ${field} is needed before the fields given after it`);
  return v;
}

export class ByteReader {
  private readonly view: DataView;
  private pos = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly what: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  private need(n: number, field: string): number {
    if (this.remaining < n) {
      throw new PayloadError(`${this.what} payload too short: ${field} needs ${n} byte(s) at offset ${this.pos}, ${this.remaining} left`);
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  u8(field: string): number {
    return this.view.getUint8(this.need(1, field));
  }
  u16(field: string): number {
    return this.view.getUint16(this.need(2, field), true);
  }
  u32(field: string): number {
    return this.view.getUint32(this.need(4, field), true);
  }
  u64(field: string): bigint {
    return this.view.getBigUint64(this.need(8, field), true);
  }
  i32(field: string): number {
    return this.view.getInt32(this.need(4, field), true);
  }
  f32(field: string): number {
    return this.view.getFloat32(this.need(4, field), true);
  }
  f64(field: string): number {
    return this.view.getFloat64(this.need(8, field), true);
  }
  /** n scalars of one type. */
  array<K extends Scalar>(type: K, n: number, field: string): ScalarArrays[K] {
    const out = new ARRAYS[type](n) as unknown as { [i: number]: number | bigint };
    for (let i = 0; i < n; i++) out[i] = this[type](`${field}[${i}]`);
    return out as unknown as ScalarArrays[K];
  }
  /** Scalars of one type up to the end of the payload. */
  restArray<K extends Scalar>(type: K, field: string): ScalarArrays[K] {
    if (this.remaining % SIZES[type] !== 0) {
      throw new PayloadError(`${this.what}: ${this.remaining} bytes of ${field} is not a whole number of ${type}`);
    }
    return this.array(type, this.remaining / SIZES[type], field);
  }
  bytesOf(n: number, field: string): Uint8Array {
    const at = this.need(n, field);
    return this.bytes.slice(at, at + n);
  }
  rest(): Uint8Array {
    return this.bytesOf(this.remaining, 'rest');
  }
  /** u8-length-prefixed UTF-8 string. */
  shortString(field: string): string {
    const n = this.u8(`${field} length`);
    return new TextDecoder().decode(this.bytesOf(n, field));
  }
  /** UTF-8 string running to the end of the payload. */
  restString(): string {
    return new TextDecoder().decode(this.rest());
  }
  end(): void {
    if (this.remaining !== 0) {
      throw new PayloadError(`${this.what} payload has ${this.remaining} unexpected trailing byte(s)`);
    }
  }
}

/** A value that does not fit its field is an error, never silently truncated. */
function checkUnsigned(v: number, bits: 8 | 16 | 32): number {
  if (!Number.isInteger(v) || v < 0 || v >= 2 ** bits) {
    throw new PayloadError(`${v} does not fit an unsigned ${bits}-bit field`);
  }
  return v;
}

export class ByteWriter {
  private readonly parts: number[] = [];

  u8(v: number): this {
    this.parts.push(checkUnsigned(v, 8));
    return this;
  }
  u16(v: number): this {
    checkUnsigned(v, 16);
    return this.u8(v & 0xff).u8(v >>> 8);
  }
  u32(v: number): this {
    checkUnsigned(v, 32);
    return this.u16(v & 0xffff).u16(v >>> 16);
  }
  u64(v: bigint): this {
    if (v < 0n || v >= 1n << 64n) throw new PayloadError(`${v} does not fit an unsigned 64-bit field`);
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, v, true);
    return this.bytes(b);
  }
  i32(v: number): this {
    if (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31) throw new PayloadError(`${v} does not fit a signed 32-bit field`);
    return this.u32(v >>> 0);
  }
  f32(v: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    return this.bytes(b);
  }
  f64(v: number): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, v, true);
    return this.bytes(b);
  }
  array(type: Scalar, values: ArrayLike<number> | BigUint64Array): this {
    for (let i = 0; i < values.length; i++) (this[type] as (v: number | bigint) => this)(values[i]);
    return this;
  }
  /** A fixed-size byte string: a wrong length is an error, never padded or cut. */
  fixed(b: Uint8Array, size: number, field: string): this {
    if (b.length !== size) throw new PayloadError(`${field} must be ${size} bytes, got ${b.length}`);
    return this.bytes(b);
  }
  bytes(b: Uint8Array): this {
    for (const x of b) this.parts.push(x);
    return this;
  }
  shortString(s: string): this {
    const b = new TextEncoder().encode(s);
    if (b.length > 255) throw new PayloadError(`string too long for a u8 length prefix (${b.length} bytes)`);
    return this.u8(b.length).bytes(b);
  }
  restString(s: string): this {
    return this.bytes(new TextEncoder().encode(s));
  }
  finish(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}
