// What the probe (probe.ts) learnt about the target, for tests to adapt or skip.
import { inject } from 'vitest';
import { RING } from './limits.ts';
import { TARGET } from './target.ts';

export const PROBE = inject('probe');

/** Why the ring-overflow test cannot run on this target, or null when it can. */
export function ringOverflowSkipReason(): string | null {
  if (PROBE.ringCapacity === 0) return `${TARGET.name} keeps no telemetry ring (ring_capacity 0)`;
  if (PROBE.ringCapacity > RING.maxTestedCapacity) {
    return `${TARGET.name}'s ring holds ${PROBE.ringCapacity} records: overflowing it would take more than the ${RING.maxTestedCapacity} steps this suite allows`;
  }
  return null;
}
