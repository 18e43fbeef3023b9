import { describe, expect, it } from 'vitest';
import { runTableMarkdown, shotsAxis } from './run-report.ts';
import type { RunSeries } from './run-series.ts';

function series(group: string, shotsTotal: number[]): RunSeries {
  return {
    label: group,
    group,
    optimizer: 'sgd',
    loss: shotsTotal.map(() => 1),
    gradNorm: shotsTotal.map(() => 1),
    shotsTotal,
    phases: shotsTotal.map(() => 0),
    lastMiniBatchLoss: 1,
    bestMiniBatchLoss: 1,
    trainLoss: 1,
    testLoss: null,
    testAccuracy: null,
    shotsUsed: shotsTotal.at(-1) ?? 0,
  };
}

describe('shotsAxis', () => {
  it('compares sampled runs at equal shots when each group shares its shot schedule', () => {
    expect(shotsAxis([series('a', [10, 20, 30]), series('a', [10, 20]), series('b', [3, 6, 9, 12])])).toBe(true);
  });
  it('falls back to steps for exact runs or groups whose schedules differ', () => {
    expect(shotsAxis([series('a', [0, 0])])).toBe(false);
    expect(shotsAxis([series('a', [10, 20]), series('a', [10, 25])])).toBe(false);
  });
});

describe('runTableMarkdown', () => {
  it('names each loss, writes accuracy as a percentage and gives no interval over one run', () => {
    const one = { ...series('g', [10, 20]), lastMiniBatchLoss: 0.494, trainLoss: 0.409, testAccuracy: 0.92 };
    const md = runTableMarkdown([one]);
    expect(md).toContain('| last mini-batch loss | best mini-batch loss | exact train loss | test loss | test accuracy |');
    expect(md).toContain('| 0.494 | 1 | 0.409 | — | 92.0 % |');
    expect(md).toContain('| g | 1 | 0.409 (n = 1, no interval) | 92.0 % (n = 1, no interval) |');
    const md2 = runTableMarkdown([one, { ...one, label: 'b', trainLoss: 0.5, testAccuracy: 0.9 }]);
    expect(md2).toMatch(/\| g \| 2 \| 0\.4545 \[0\.409, 0\.5\] \| 91\.0 % \[90\.0 %, 92\.0 %\] \|/);
  });
});
