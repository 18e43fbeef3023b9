// The job-cost fit: weighted least squares recovers c and s exactly from points on a line,
// weighs relative error (a long run's noise does not swamp the short runs' intercept), and
// says nothing with fewer than two lengths.
import { expect, it } from 'vitest';
import { fitLine } from './fleet-job-cost.ts';

it('recovers c + s·steps from exact points, and the intercept through relative noise', () => {
  const exact = [30, 300, 3000].map((x) => ({ x, y: 5 + 0.9 * x }));
  const f = fitLine(exact)!;
  expect(f.perJobMs).toBeCloseTo(5, 9);
  expect(f.perStepMs).toBeCloseTo(0.9, 12);
  // 1 % too much at 3000 steps (27 ms) moves the intercept by far less than an unweighted fit would (≈ 22 ms).
  const noisy = fitLine([...exact.slice(0, 2), { x: 3000, y: (5 + 0.9 * 3000) * 1.01 }])!;
  expect(Math.abs(noisy.perJobMs - 5)).toBeLessThan(1);
  expect(fitLine([{ x: 30, y: 32 }])).toBeNull();
  expect(
    fitLine([
      { x: 30, y: 32 },
      { x: 30, y: 33 },
    ]),
  ).toBeNull();
});
