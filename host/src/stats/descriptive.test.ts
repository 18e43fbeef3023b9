// minimum against Math.min (the definition it must match), and on more values than Math.min(...spread) can take.
import { expect, it } from 'vitest';
import { median, minimum } from './descriptive.ts';

it('agrees with Math.min, NaN included', () => {
  for (const values of [[3], [2, -1, 5], [0.5, 0.25, 0.25], [-Infinity, 1], [1, NaN, -3], [Infinity]]) {
    expect(minimum(values), JSON.stringify(values)).toBe(Math.min(...values));
  }
});

it('takes a million values (a run at the step limit), where spreading them overflows the stack', () => {
  const values = Array.from({ length: 1_000_000 }, (_, i) => Math.cos(i) + 2);
  let expected = Infinity;
  for (let start = 0; start < values.length; start += 10_000) expected = Math.min(expected, ...values.slice(start, start + 10_000));
  expect(() => Math.min(...values)).toThrow(RangeError);
  expect(minimum(values)).toBe(expected);
});

it('refuses an empty list', () => {
  expect(() => minimum([])).toThrow('minimum: no values');
});

it('median: middle value, mean of the two middle values, order-free', () => {
  expect(median([3, 1, 2])).toBe(2);
  expect(median([4, 1, 3, 2])).toBe(2.5);
  expect(median([-1])).toBe(-1);
  expect(() => median([])).toThrow('median: no values');
});
