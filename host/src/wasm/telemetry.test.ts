import { describe, expect, it } from 'vitest';
import { decodeTelemetry } from './telemetry.ts';

function record(fill: (view: DataView) => void): Uint8Array {
  const bytes = new Uint8Array(64);
  fill(new DataView(bytes.buffer));
  return bytes;
}

describe('decodeTelemetry', () => {
  it('reads every field at its docs/abi.md offset', () => {
    const bytes = record((v) => {
      v.setUint32(0, 12, true);
      v.setUint32(4, 2, true);
      v.setUint32(8, 1, true);
      v.setUint32(12, 21, true);
      v.setBigUint64(16, 2100n, true);
      v.setBigUint64(24, 2n ** 40n, true);
      v.setFloat64(32, 0.25, true);
      v.setFloat64(40, 1.5, true);
      v.setFloat64(48, 0.015, true);
      v.setFloat64(56, Number.NaN, true);
    });
    expect(decodeTelemetry(bytes)).toEqual({
      step: 12,
      status: 2,
      statusName: 'BUDGET_EXHAUSTED',
      phase: 1,
      evals: 21,
      shots: 2100,
      shotsTotal: 2 ** 40,
      loss: 0.25,
      gradNorm: 1.5,
      stepNorm: 0.015,
      trialLoss: Number.NaN,
    });
  });

  it('reads a record inside a larger buffer (e.g. a TELEMETRY frame payload)', () => {
    const frame = new Uint8Array(72);
    frame.set(
      record((v) => v.setUint32(0, 9, true)),
      8,
    );
    expect(decodeTelemetry(frame.subarray(8)).step).toBe(9);
  });

  it('refuses a wrong length, a bad phase and counts beyond 2^53', () => {
    expect(() => decodeTelemetry(new Uint8Array(63))).toThrow(/64 bytes, got 63/);
    expect(() => decodeTelemetry(record((v) => v.setUint32(8, 2, true)))).toThrow(/phase must be 0 or 1, got 2/);
    expect(() => decodeTelemetry(record((v) => v.setBigUint64(24, 2n ** 60n, true)))).toThrow(/shots_total/);
    expect(() => decodeTelemetry(record((v) => v.setBigUint64(24, 2n ** 53n, true)))).toThrow(/shots_total 9007199254740992 exceeds/);
  });

  it('reads u64 counts exactly up to 2^53 − 1 (two u32 words)', () => {
    for (const n of [0n, 1n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 40n + 12345n, 2n ** 53n - 1n]) {
      expect(decodeTelemetry(record((v) => v.setBigUint64(24, n, true))).shotsTotal).toBe(Number(n));
    }
  });

  it('names unknown status codes', () => {
    expect(decodeTelemetry(record((v) => v.setUint32(4, 9, true))).statusName).toBe('UNKNOWN_9');
  });
});
