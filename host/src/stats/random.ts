// Seeded random numbers for the statistics (bootstrap resampling, test data).
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';

export interface SeededRandom {
  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** Uniform float in [0, 1). */
  float(): number;
  /** Standard normal deviate (Box–Muller). */
  normal(): number;
}

export function seededRandom(seed: number): SeededRandom {
  const rng = xoroshiro128plus(seed);
  const float = () => uniformFloat64(rng);
  return {
    int: (min, max) => uniformInt(rng, min, max),
    float,
    normal: () => {
      const u1 = 1 - float(); // in (0, 1]: keeps ln finite
      const u2 = float();
      return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    },
  };
}
