// The synthetic two-class set: two isotropic unit-variance Gaussian blobs in F
// dimensions, class +1 centred at +(d/2)·u and class −1 at −(d/2)·u with
// u = (1, …, 1)/√F, so the centres are d standard deviations apart along the
// diagonal and the Bayes-optimal boundary is the hyperplane Σx = 0 (best
// possible accuracy Φ(d/2), 93.3 % at the default d = 3). Classes alternate so
// they are balanced (the first of an odd count is +1).
import type { SplitMix64 } from './prng.ts';
import type { Sample } from './types.ts';

export function gaussianBlobs(count: number, features: number, separation: number, rng: SplitMix64): Sample[] {
  const offset = separation / 2 / Math.sqrt(features);
  const samples: Sample[] = [];
  for (let i = 0; i < count; i++) {
    const y = i % 2 === 0 ? 1 : -1;
    const x = Array.from({ length: features }, () => y * offset + rng.nextGaussian());
    samples.push({ x, y });
  }
  return samples;
}
