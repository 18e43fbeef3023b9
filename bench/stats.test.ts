import { describe, expect, it } from 'vitest';
import { pairedRatio, summarize } from './stats.ts';
import { rotatedOrder, interleave, inProcessTimer } from './timing.ts';

describe('timing statistics', () => {
  it('summarize gives the median and quartiles of per-step times', () => {
    expect(summarize([5, 1, 3, 2, 4])).toEqual({ median: 3, q1: 2, q3: 4, rounds: 5 });
  });

  it('a paired ratio is the median of the per-round ratios, with an interval around it', () => {
    const fast = [1, 2, 1, 2, 1, 2, 1];
    const slow = fast.map((f, i) => f * (i === 3 ? 100 : 20)); // one disturbed round
    const r = pairedRatio(slow, fast);
    expect(r.median).toBe(20);
    expect(r.low).toBeLessThanOrEqual(20);
    expect(r.high).toBeGreaterThanOrEqual(20);
  });

  it('refuses unpaired samples', () => {
    expect(() => pairedRatio([1, 2], [1])).toThrow(/equal, non-empty/);
  });

  it('rotates the contender order each round so none always runs first', () => {
    const firsts = [0, 1, 2, 3].map((r) => rotatedOrder(['a', 'b', 'c'], r)[0]);
    expect(firsts).toEqual(['a', 'b', 'c', 'a']);
  });

  it('interleave times every contender once per round and resolves relative cost', async () => {
    const busy = (iterations: number) => () => {
      let x = 0;
      for (let i = 0; i < iterations; i++) x += Math.sqrt(i);
      if (x < 0) throw new Error('unreachable');
    };
    const samples = await interleave(
      { light: inProcessTimer(busy(20_000)), heavy: inProcessTimer(busy(200_000)) },
      { rounds: 5, warmupSteps: 2, minSampleSeconds: 0.01, maxStepsPerSample: 10_000 },
    );
    expect(samples.light).toHaveLength(5);
    const ratio = pairedRatio(samples.heavy, samples.light).median;
    // Ten times the work; loop overhead and timer reads keep it between 5× and 20×.
    expect(ratio).toBeGreaterThan(5);
    expect(ratio).toBeLessThan(20);
  });
});
