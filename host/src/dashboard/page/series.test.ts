import { describe, expect, it } from 'vitest';
import { bands, overlay, RunSeries, stepAxis, type StepPoint } from './series.ts';

const point = (step: number, loss: number, negative = false): StepPoint => ({
  step,
  loss,
  trialLoss: null,
  gradNorm: loss / 2,
  shotsTotal: step * 10,
  negative,
});

function run(losses: number[], negativeAt: number[] = []): RunSeries {
  const r = new RunSeries();
  losses.forEach((l, i) => {
    r.add(point(i + 1, l, negativeAt.includes(i + 1)));
  });
  return r;
}

describe('RunSeries', () => {
  it('keeps one record per step whatever order or repetition it arrives in (backfill overlapping live)', () => {
    const r = new RunSeries();
    r.add(point(3, 0.3));
    r.add(point(1, 0.1));
    r.add(point(3, 99));
    expect(r.size).toBe(2);
    expect(r.lastStep).toBe(3);
    expect(r.values('loss')).toEqual([0.1, null, 0.3]);
    r.add(point(2, 0.2, true));
    expect(r.values('loss')).toEqual([0.1, 0.2, 0.3]);
    expect(r.negativeSteps()).toEqual([2]);
  });
});

describe('chart columns', () => {
  it('thins long runs evenly and always keeps the last step', () => {
    expect(stepAxis(5, 10)).toEqual([1, 2, 3, 4, 5]);
    expect(stepAxis(10, 4)).toEqual([1, 4, 7, 10]);
    expect(stepAxis(11, 4)).toEqual([1, 4, 7, 10, 11]);
    expect(stepAxis(0, 4)).toEqual([]);
  });

  it('overlays runs of different lengths on one step axis, markers only at negative steps', () => {
    const a = run([1, 2, 3], [2]);
    const b = run([5, 6]);
    expect(overlay([a, b], 'loss', 100, [a])).toEqual([
      [1, 2, 3],
      [1, 2, 3],
      [5, 6, null],
      [null, 2, null],
    ]);
  });

  it('gives per step the median and quartiles of the runs that reached it', () => {
    const groups = new Map([
      ['sgd', [run([1, 10]), run([2, 20]), run([3, 30]), run([4])]],
      ['adam', [run([7])]],
    ]);
    const [sgd, adam] = bands(groups, 'loss', [1, 2]);
    // Step 1: 1,2,3,4 → median 2.5, type-7 quartiles 1.75 and 3.25; step 2: 10,20,30.
    expect(sgd).toEqual({ group: 'sgd', runs: 4, median: [2.5, 20], low: [1.75, 15], high: [3.25, 25] });
    expect(adam).toEqual({ group: 'adam', runs: 1, median: [7, null], low: [7, null], high: [7, null] });
  });
});
