import { describe, expect, it } from 'vitest';
import { pairedRatio, summarize } from './stats.ts';
import { rotatedOrder, interleave, inProcessTimer, type StepTimer } from './timing.ts';

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

  it('interleave warms up, then times every contender once per round in rotated order, per step', async () => {
    const calls: string[] = [];
    const fake = (name: string, secondsPerStep: number): StepTimer => ({
      async timeSteps(minSeconds, maxSteps) {
        calls.push(`${name}:${minSeconds}:${maxSteps}`);
        const steps = Math.min(maxSteps, 4);
        return { steps, seconds: steps * secondsPerStep };
      },
    });
    const plan = { rounds: 3, warmupSteps: 2, minSampleSeconds: 0.5, maxStepsPerSample: 100 };
    const samples = await interleave({ a: fake('a', 0.001), b: fake('b', 0.01) }, plan);
    expect(calls).toEqual(['a:0:2', 'b:0:2', 'a:0.5:100', 'b:0.5:100', 'b:0.5:100', 'a:0.5:100', 'a:0.5:100', 'b:0.5:100']);
    expect(samples).toEqual({ a: [0.001, 0.001, 0.001], b: [0.01, 0.01, 0.01] });
    expect(pairedRatio(samples.b, samples.a).median).toBeCloseTo(10, 12);
  });

  it('interleave refuses a timer that reports no steps', async () => {
    const broken: StepTimer = { timeSteps: async () => ({ steps: 0, seconds: 0 }) };
    await expect(interleave({ broken }, { rounds: 1, warmupSteps: 0, minSampleSeconds: 0, maxStepsPerSample: 1 })).rejects.toThrow(
      /broken: timing returned 0 steps/,
    );
  });

  it('an in-process timer runs until the minimum time or the step cap, whichever comes first', async () => {
    let count = 0;
    const timer = inProcessTimer(() => count++);
    const capped = await timer.timeSteps(10, 50);
    expect(capped.steps).toBe(50);
    const timed = await timer.timeSteps(0.002, 1e9);
    expect(timed.seconds).toBeGreaterThanOrEqual(0.002);
    expect(count).toBe(50 + timed.steps);
  });
});
