// Interleaved timing: every contender is timed once per round, in an order
// rotated each round, so slow drifts of a shared machine hit all contenders alike
// and each round yields paired samples.
import type { TimingPlan } from './config.ts';

export interface TimedSample {
  steps: number;
  seconds: number;
}

/** Runs training steps until `minSeconds` passed or `maxSteps` ran, timing itself. */
export interface StepTimer {
  timeSteps(minSeconds: number, maxSteps: number): Promise<TimedSample>;
}

export function inProcessTimer(step: () => void): StepTimer {
  return {
    async timeSteps(minSeconds, maxSteps) {
      let steps = 0;
      const start = process.hrtime.bigint();
      let seconds = 0;
      do {
        step();
        steps++;
        seconds = Number(process.hrtime.bigint() - start) / 1e9;
      } while (seconds < minSeconds && steps < maxSteps);
      return { steps, seconds };
    },
  };
}

/** Seconds per step, one value per round, for each contender. */
export type RoundSamples = Record<string, number[]>;

export function rotatedOrder<T>(items: readonly T[], round: number): T[] {
  const shift = items.length === 0 ? 0 : round % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

export async function interleave(timers: Readonly<Record<string, StepTimer>>, plan: TimingPlan): Promise<RoundSamples> {
  const names = Object.keys(timers);
  for (const name of names) await timers[name].timeSteps(0, plan.warmupSteps);
  const samples: RoundSamples = Object.fromEntries(names.map((n) => [n, [] as number[]]));
  for (let round = 0; round < plan.rounds; round++) {
    for (const name of rotatedOrder(names, round)) {
      const { steps, seconds } = await timers[name].timeSteps(plan.minSampleSeconds, plan.maxStepsPerSample);
      if (!(steps > 0 && seconds > 0)) throw new Error(`${name}: timing returned ${steps} steps in ${seconds} s`);
      samples[name].push(seconds / steps);
    }
  }
  return samples;
}
