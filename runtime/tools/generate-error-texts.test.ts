// The generated AssemblyScript data decodes back to the table, and bad texts are refused by name.
import { describe, expect, it } from 'vitest';
import { ERROR_TEXTS, UNKNOWN_ERROR_TEXT } from './error-texts.ts';
import { errorTextsSource, messageCapacity } from './generate-error-texts.ts';

/** Reads the memory.data<u8> array and ERROR_CODE_COUNT back out of the generated source. */
function decode(source: string): { count: number; texts: string[] } {
  const count = Number(/export const ERROR_CODE_COUNT: i32 = (\d+);/.exec(source)?.[1]);
  const array = /memory\.data<u8>\(\[([\s\S]*)\], 1\)/.exec(source)?.[1] ?? '';
  const bytes = array.split('\n').flatMap((line) => line.replace(/\/\/.*$/, '').split(',')).map((v) => v.trim())
    .filter((v) => v !== '').map(Number);
  const texts: string[] = [];
  for (let at = 0; at < bytes.length; at += 1 + bytes[at]) {
    texts.push(String.fromCharCode(...bytes.slice(at + 1, at + 1 + bytes[at])));
  }
  return { count, texts };
}

describe('generate-error-texts', () => {
  it('emits every text length-prefixed in code order, the unknown-code text last', () => {
    const { count, texts } = decode(errorTextsSource(ERROR_TEXTS, UNKNOWN_ERROR_TEXT, 128));
    expect(count).toBe(ERROR_TEXTS.length);
    expect(texts).toEqual([...ERROR_TEXTS, UNKNOWN_ERROR_TEXT]);
  });

  it('refuses a text longer than the message capacity, naming its code', () => {
    expect(() => errorTextsSource(['ok', 'x'.repeat(41)], 'unknown', 40)).toThrow(/error code 1 is 41 bytes, over the limit of 40/);
    expect(() => errorTextsSource(['ok'], 'u'.repeat(256), 1000)).toThrow(/unknown-code text is 256 bytes, over the limit of 255/);
  });

  it('refuses empty and non-ASCII texts', () => {
    expect(() => errorTextsSource(['ok', 'qubits: must be 1…10'], 'unknown', 128)).toThrow(/error code 1 .* printable ASCII/);
    expect(() => errorTextsSource(['ok', 'a\nb'], 'unknown', 128)).toThrow(/error code 1 .* printable ASCII/);
    expect(() => errorTextsSource([''], 'unknown', 128)).toThrow(/error code 0 .* printable ASCII/);
  });

  it("reads MESSAGE_CAPACITY from the runtime's config", () => {
    expect(messageCapacity('export const MESSAGE_CAPACITY: i32 = 96;')).toBe(96);
    expect(messageCapacity()).toBeGreaterThanOrEqual(Math.max(...ERROR_TEXTS.map((t) => t.length)));
    expect(() => messageCapacity('const OTHER = 1;')).toThrow(/no 'export const MESSAGE_CAPACITY/);
  });
});
