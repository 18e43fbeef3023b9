import { describe, expect, it } from 'vitest';
import { cobsDecode, cobsEncode } from './cobs.ts';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const range = (from: number, to: number) => Uint8Array.from({ length: to - from + 1 }, (_, i) => from + i);
const cat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

// The published examples of Cheshire & Baker's COBS (as listed on Wikipedia), without the delimiter.
const examples: Array<[string, Uint8Array, Uint8Array]> = [
  ['one zero', hex('00'), hex('01 01')],
  ['two zeros', hex('00 00'), hex('01 01 01')],
  ['zero inside', hex('00 11 00'), hex('01 02 11 01')],
  ['zero in the middle', hex('11 22 00 33'), hex('03 11 22 02 33')],
  ['no zero', hex('11 22 33 44'), hex('05 11 22 33 44')],
  ['trailing zeros', hex('11 00 00 00'), hex('02 11 01 01 01')],
  ['254 non-zero bytes', range(1, 254), cat(hex('ff'), range(1, 254))],
  ['zero then 254 non-zero', range(0, 254), cat(hex('01 ff'), range(1, 254))],
  ['255 non-zero bytes', range(1, 255), cat(hex('ff'), range(1, 254), hex('02 ff'))],
  ['254 non-zero then a zero', cat(range(2, 255), hex('00')), cat(hex('ff'), range(2, 255), hex('01 01'))],
  ['253 non-zero then a zero then one', cat(range(3, 255), hex('00 01')), cat(hex('fe'), range(3, 255), hex('02 01'))],
];

describe('COBS', () => {
  it.each(examples)('encodes the published example: %s', (_name, data, encoded) => {
    expect(Buffer.from(cobsEncode(data)).toString('hex')).toBe(Buffer.from(encoded).toString('hex'));
    expect(Buffer.from(cobsDecode(encoded)!).toString('hex')).toBe(Buffer.from(data).toString('hex'));
  });

  it('encodes the empty input as a single code byte', () => {
    expect([...cobsEncode(new Uint8Array(0))]).toEqual([1]);
    expect([...cobsDecode(hex('01'))!]).toEqual([]);
  });

  it('round-trips random data of every length up to 1100 and never emits 0x00', () => {
    let x = 12345;
    const rand = () => ((x = (x * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    for (let n = 0; n <= 1100; n += n < 600 ? 1 : 37) {
      // Mix sparse and dense zeros.
      const data = Uint8Array.from({ length: n }, () => (rand() < 40 ? 0 : rand()));
      const enc = cobsEncode(data);
      expect(enc.includes(0)).toBe(false);
      expect(enc.length).toBeLessThanOrEqual(n + Math.ceil(n / 254) + 1);
      expect(Buffer.from(cobsDecode(enc)!).equals(Buffer.from(data))).toBe(true);
    }
  });

  it('rejects encodings containing 0x00 or a code running past the end', () => {
    expect(cobsDecode(hex('03 11 00'))).toBeNull();
    expect(cobsDecode(hex('05 11 22'))).toBeNull();
    expect(cobsDecode(hex('00'))).toBeNull();
  });
});
