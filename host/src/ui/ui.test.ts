import { describe, expect, it } from 'vitest';
import { downsample, lossChart } from './chart.ts';
import { formatTable } from './table.ts';

describe('terminal chart', () => {
  it('averages consecutive values into at most `width` columns', () => {
    expect(downsample([1, 2, 3, 4, 5, 6], 3)).toEqual([1.5, 3.5, 5.5]);
    expect(downsample([1, 2, 3, 4, 5, 6, 7], 2)).toEqual([2, 5.5]);
    expect(downsample([4, 5], 10)).toEqual([4, 5]);
    const long = Array.from({ length: 10_000 }, (_, i) => i);
    const reduced = downsample(long, 64);
    expect(reduced).toHaveLength(64);
    // Buckets [0, 156) and [9843, 10000): floor(b · 10000 / 64) boundaries.
    expect(reduced[0]).toBe(77.5);
    expect(reduced[63]).toBe((9843 + 9999) / 2);
  });

  it('labels the axis with the range of the losses and skips NaN and null', () => {
    const chart = lossChart([1, null, 0.5, NaN, 0.25], { width: 10, height: 4 })!;
    const lines = chart.split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]!.trim().startsWith('1.0000')).toBe(true);
    expect(lines[4]!.trim().startsWith('0.2500')).toBe(true);
    expect(lossChart([null, NaN])).toBeNull();
  });
});

describe('formatTable', () => {
  it('aligns text left and numbers right under a rule', () => {
    const text = formatTable(
      ['name', 'loss'],
      [
        ['sgd', '0.5'],
        ['momentum', '12.25'],
      ],
    );
    expect(text.split('\n')).toEqual(['name       loss', '────────  ─────', 'sgd         0.5', 'momentum  12.25']);
  });
});
