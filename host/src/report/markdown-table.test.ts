import { describe, expect, it } from 'vitest';
import { fmt, markdownTable } from './markdown-table.ts';

describe('markdownTable', () => {
  it('writes a header, a rule and escaped rows', () => {
    expect(markdownTable(['a', 'b'], [[1, 'x|y']])).toBe('| a | b |\n| --- | --- |\n| 1 | x\\|y |\n');
  });
  it('refuses rows of the wrong width', () => {
    expect(() => markdownTable(['a'], [[1, 2]])).toThrow(/row 0 has 2 cells, the header has 1/);
  });
  it('formats to four significant digits, switching to exponents for tiny values', () => {
    expect(fmt(0.123456)).toBe('0.1235');
    expect(fmt(2.5e-5)).toBe('2.500e-5');
    expect(fmt(NaN)).toBe('NaN');
  });
});
