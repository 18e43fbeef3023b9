// Min-max scaling of features to rotation angles in [0, π], fitted on the
// training samples only so no test information leaks into the encoding. Test
// values outside the training range are clipped to [0, π].
import type { Sample } from './types.ts';

export interface FeatureRange {
  min: number;
  max: number;
}

export function fitRanges(train: readonly Sample[], features: number): FeatureRange[] {
  const ranges: FeatureRange[] = [];
  for (let f = 0; f < features; f++) {
    let min = Infinity;
    let max = -Infinity;
    for (const s of train) {
      min = Math.min(min, s.x[f]!);
      max = Math.max(max, s.x[f]!);
    }
    ranges.push({ min, max });
  }
  return ranges;
}

/** A feature constant over the training set maps to π/2, the middle of the range. */
export function toAngles(samples: readonly Sample[], ranges: readonly FeatureRange[]): Sample[] {
  return samples.map((s) => ({
    y: s.y,
    x: ranges.map(({ min, max }, f) => {
      if (max === min) return Math.PI / 2;
      const unit = (s.x[f]! - min) / (max - min);
      return Math.PI * Math.min(1, Math.max(0, unit));
    }),
  }));
}
