// What the probe (probe.ts) learnt about the target, and what the target lets the suite do, for
// tests to adapt or skip. A test that needs something the target cannot do is skipped by
// capability, visibly: the reason is in its name, in the output and in the JUnit file.
import { describe, inject, it } from 'vitest';
import { RING } from './limits.ts';
import { type Capability, TARGET } from './target.ts';

export const PROBE = inject('probe');

/** Why each capability can be missing: a board behind a gateway is reached by the fleet's commands (docs/fleet.md), not by its frames. */
const MISSING: Record<Capability, string> = {
  frames: 'the gateway owns the board’s serial link; MQTT carries commands, not protocol frames',
  linkDrop: 'the gateway keeps the board’s serial link; this host cannot drop it and fetch the ring itself',
  partialUpload: 'the fleet’s flash is one command (the gateway uploads whole), so it cannot be cut mid-frame or power-cut',
  provision:
    'the fleet has no PROVISION command: provision the board over its own serial link before its gateway attaches it and set QIOT_KEY to its owner key (docs/security.md)',
};

/** Why this target cannot run tests needing `needs`, or null when it can. */
export function missingCapability(needs: readonly Capability[]): string | null {
  const missing = needs.filter((c) => !TARGET.capabilities.has(c));
  return missing.length === 0 ? null : `${TARGET.name}: ${missing.map((c) => MISSING[c]).join('; ')}`;
}

/** describe() when `skipReason` is null, else the suite skipped with the reason in its name and the output. */
export function describeIf(skipReason: string | null, name: string, body: () => void): void {
  if (!skipReason) return void describe(name, body);
  console.log(`skipping '${name}': ${skipReason}`);
  describe.skip(`${name} — skipped: ${skipReason}`, body);
}

/** describe() when the target has every capability in `needs`, else the suite skipped with the reason. */
export function describeNeeding(needs: readonly Capability[], name: string, body: () => void): void {
  describeIf(missingCapability(needs), name, body);
}

/** it() when the target has every capability in `needs`, else the test skipped with the reason in its name. */
export function itNeeding(needs: readonly Capability[], name: string, body: () => Promise<void>): void {
  const reason = missingCapability(needs);
  if (!reason) return void it(name, body);
  console.log(`skipping '${name}': ${reason}`);
  it.skip(`${name} — skipped: ${reason}`, body);
}

/** Why the ring-overflow test cannot run on this target, or null when it can. */
export function ringOverflowSkipReason(): string | null {
  if (PROBE.ringCapacity === 0) return `${TARGET.name} keeps no telemetry ring (ring_capacity 0)`;
  if (PROBE.ringCapacity > RING.maxTestedCapacity) {
    return `${TARGET.name}'s ring holds ${PROBE.ringCapacity} records: overflowing it would take more than the ${RING.maxTestedCapacity} steps this suite allows`;
  }
  return null;
}
