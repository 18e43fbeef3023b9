// zod number checks with messages a person understands, shared by schema.ts and the generated
// abi-fields.generated.ts.
import { z } from 'zod';

// z.int() also rejects integers beyond ±(2^53 − 1) with its own issue, which comes
// first: it gets the range message, since such a value is also outside [min, max].
export const int = (min: number, max: number) =>
  z
    .int({
      error: (issue) =>
        issue.code === 'too_big' ? `must be ≤ ${max}` : issue.code === 'too_small' ? `must be ≥ ${min}` : 'must be an integer',
    })
    .min(min, `must be ≥ ${min}`)
    .max(max, `must be ≤ ${max}`);
export const positive = () => z.number('must be a number').gt(0, 'must be > 0');
export const unitInterval = () => z.number('must be a number').min(0, 'must be ≥ 0').lt(1, 'must be < 1');
export const probability = () => z.number('must be a number').gt(0, 'must be > 0').max(1, 'must be ≤ 1');

export const nonNegative = () => z.number('must be a number').min(0, 'must be ≥ 0');
