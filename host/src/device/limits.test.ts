// The probe of a quiet run (CLIENT.runSilentMs) must outlast the longest time a healthy board is deaf:
// an unsliced module call, bounded by the firmware's watchdog (firmware/core/qiot_config.h).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLIENT } from './limits.ts';

describe('CLIENT limits against the firmware', () => {
  it('runSilentMs is at least twice QIOT_WATCHDOG_UNSLICED_MS', () => {
    const header = readFileSync(new URL('../../../firmware/core/qiot_config.h', import.meta.url), 'utf8');
    const unsliced = Number(/#define QIOT_WATCHDOG_UNSLICED_MS (\d+)u/.exec(header)?.[1]);
    expect(unsliced).toBeGreaterThan(0);
    expect(CLIENT.runSilentMs).toBeGreaterThanOrEqual(2 * unsliced);
  });
});
