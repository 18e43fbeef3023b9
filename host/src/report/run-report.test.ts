import { describe, expect, it } from 'vitest';
import { shotsAxis } from './run-report.ts';
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
    finalLoss: 1,
    bestLoss: 1,
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
