// The protocol description's outputs: version-1 codes kept, the C request table complete, bad
// descriptions refused.
import { describe, expect, it } from 'vitest';
import { checkProtocol, cRequestsSource } from './emit-protocol.ts';
import { ERRORS, REQUESTS, type Request } from './qiot-protocol.ts';

// Protocol version 1 as published (docs/protocol.md): boards in the field answer these codes. Typed out independently.
const V1_REQUESTS: Record<string, number> = {
  HELLO: 0x01,
  UPLOAD_BEGIN: 0x02,
  UPLOAD_CHUNK: 0x03,
  UPLOAD_COMMIT: 0x04,
  CONFIG: 0x05,
  DATASET: 0x06,
  TRAIN_START: 0x07,
  TRAIN_STOP: 0x08,
  STATUS_REQUEST: 0x09,
  TELEMETRY_FETCH: 0x0a,
  RESET: 0x0b,
  PARAMS_READ: 0x0c,
  PARAMS_WRITE: 0x0d,
  PROVISION: 0x0e,
  TELEMETRY_ACK: 0x0f,
};

const request = (extra: Partial<Request>): Request => ({
  symbol: 'PING',
  code: 0x10,
  handler: 'ping',
  payload: [],
  carries: 'no payload',
  needsModule: false,
  idleOnly: false,
  authenticated: false,
  ok: [],
  ...extra,
});

describe('protocol description', () => {
  it('keeps every version-1 request code and the error codes 1…21', () => {
    const codes = Object.fromEntries(REQUESTS.map((r) => [r.symbol, r.code]));
    for (const [symbol, code] of Object.entries(V1_REQUESTS)) expect(codes[symbol], symbol).toBe(code);
    expect(ERRORS.findIndex((e) => e.name === 'BAD_PAYLOAD') + 1).toBe(18);
    expect(ERRORS.findIndex((e) => e.name === 'ROLLBACK') + 1).toBe(21);
  });

  it('emits one X row per request with its bounds and flags', () => {
    const source = cRequestsSource([request({ payload: ['u16 a', 'u8 b[]'], carries: 'a "u16"', idleOnly: true, authenticated: true })]);
    expect(source).toContain('    X(PING, "PING", ping, 2, QIOT_MAX_PAYLOAD, "a \\"u16\\"", false, true, true)\n');
    expect(cRequestsSource().match(/^ {4}X\(/gm)?.length).toBe(REQUESTS.length);
  });

  it('refuses a shared code, a request code from 0x80, a bad handler name and min > max', () => {
    expect(() => checkProtocol([...REQUESTS, request({ code: 0x01 })])).toThrow(/'HELLO' and 'PING' share code 0x01/);
    expect(() => checkProtocol([request({ code: 0x90 })])).toThrow(/'PING': code 0x90 is outside 0x01…0x7F/);
    expect(() => checkProtocol([request({ handler: 'Ping' })])).toThrow(/handler 'Ping' must be snake_case/);
    expect(() => checkProtocol([request({ payload: ['u32 a'], max: 2 })])).toThrow(/min 4 > max 2/);
    expect(() => checkProtocol([request({ payload: ['u32 a'], max: 4 })])).toThrow(/max 4 follows from its payload; leave it out/);
    expect(() => checkProtocol([request({ payload: ['u32 a b'] })])).toThrow(/field 'u32 a b' is not/);
    expect(() => checkProtocol([request({ symbol: 'ok' })])).toThrow(/UPPER_SNAKE/);
  });
});
