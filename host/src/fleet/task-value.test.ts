// The `task` op's value encoding: NaN, ±∞ and −0 come back as the same f64 (checked with
// Object.is / isDeepStrictEqual, which tell −0 from 0), finite numbers by JSON's shortest
// round trip; what JSON data cannot carry is refused with its path.
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PayloadError } from './messages.ts';
import { decodeTaskValue, encodeTaskValue } from './task-value.ts';

const wire = (v: unknown) => decodeTaskValue(JSON.parse(JSON.stringify(encodeTaskValue(v))));

describe('task values', () => {
  it('round-trips NaN, ±∞, −0 and every finite f64 exactly, nested in objects and arrays', () => {
    const value = {
      losses: [NaN, Infinity, -Infinity, -0, 0, 0.1 + 0.2, -Number.MIN_VALUE, Number.MAX_VALUE, 2 ** -1074, 1 / 3],
      nested: { deep: [{ x: -0 }, [NaN]], s: 'NaN', t: true, n: null },
      empty: {},
    };
    const back = wire(value);
    expect(isDeepStrictEqual(back, value)).toBe(true);
    const losses = (back as typeof value).losses;
    expect(Object.is(losses[3], -0)).toBe(true);
    expect(Object.is(losses[4], 0)).toBe(true);
    expect(losses[0]).toBeNaN();
    // Plain JSON would lose these: the encoding is what keeps them.
    expect(isDeepStrictEqual(JSON.parse(JSON.stringify(value)), value)).toBe(false);
    expect(JSON.stringify(encodeTaskValue([NaN, -0, 1]))).toBe('[{"$f64":"NaN"},{"$f64":"-0"},1]');
  });

  it('leaves out undefined object fields as JSON does, and keeps a "__proto__" key a key', () => {
    expect(wire({ a: 1, b: undefined })).toEqual({ a: 1 });
    const parsed = JSON.parse('{"__proto__": {"polluted": 1}}') as object;
    const back = wire(parsed) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.hasOwn(back, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses what it cannot carry exactly, naming where', () => {
    expect(() => encodeTaskValue({ a: [1, undefined] })).toThrow(new PayloadError('$.a[1]: undefined in an array cannot be sent'));
    expect(() => encodeTaskValue({ t: new Float64Array(2) })).toThrow(/\$\.t: a Float64Array cannot be sent as a task value/);
    expect(() => encodeTaskValue({ m: new Map() })).toThrow(/\$\.m: a Map cannot be sent/);
    expect(() => encodeTaskValue({ b: 1n })).toThrow(/\$\.b: a bigint cannot be sent/);
    expect(() => encodeTaskValue({ x: { $f64: 'NaN' } })).toThrow(/\$\.x: the key "\$f64" is reserved/);
  });

  it('refuses a malformed tagged number', () => {
    expect(() => decodeTaskValue({ a: { $f64: 'nan' } })).toThrow(
      /\$\.a: a tagged number must be \{"\$f64": one of NaN, Infinity, -Infinity, -0\}/,
    );
    expect(() => decodeTaskValue([{ $f64: 'NaN', other: 1 }])).toThrow(/\$\[0\]: a tagged number/);
    expect(() => decodeTaskValue({ $f64: 5 })).toThrow(PayloadError);
  });
});
