import { describe, expect, it } from 'vitest';
import { cobsDecode } from './cobs.ts';
import { ErrorCode, MAX_PAYLOAD } from './constants.ts';
import { crc32, encodeFrame, encodeRawFrame, parseRawFrame } from './frame.ts';

describe('crc32', () => {
  it('gives the CRC-32/ISO-HDLC check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });
  it('is 0 for empty input', () => {
    expect(crc32(new Uint8Array(0))).toBe(0);
  });
});

describe('frames', () => {
  it('lays out header, payload and CRC little endian', () => {
    const raw = encodeRawFrame(0x03, 0x1234, Uint8Array.of(0xaa, 0xbb, 0xcc));
    expect([...raw.subarray(0, 6)]).toEqual([1, 0x03, 0x34, 0x12, 3, 0]);
    expect([...raw.subarray(6, 9)]).toEqual([0xaa, 0xbb, 0xcc]);
    const crc = new DataView(raw.buffer).getUint32(9, true);
    expect(crc).toBe(crc32(raw.subarray(0, 9)));
  });

  it('ends the wire bytes with the only 0x00', () => {
    const wire = encodeFrame(0x01, 0, new Uint8Array(8));
    expect(wire.indexOf(0)).toBe(wire.length - 1);
    const parsed = parseRawFrame(cobsDecode(wire.subarray(0, -1))!);
    expect(parsed.ok && parsed.frame.payload.length).toBe(8);
  });

  it('refuses payloads over the maximum', () => {
    expect(() => encodeRawFrame(0x03, 1, new Uint8Array(MAX_PAYLOAD + 1))).toThrow(/exceeds/);
    expect(encodeRawFrame(0x03, 1, new Uint8Array(MAX_PAYLOAD)).length).toBe(MAX_PAYLOAD + 10);
  });

  it('reports a flipped bit as BAD_CRC without trusting the header seq', () => {
    const raw = encodeRawFrame(0x05, 77, Uint8Array.of(1, 2, 3));
    raw[7] ^= 0x10;
    const parsed = parseRawFrame(raw);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.fault.code).toBe(ErrorCode.BAD_CRC);
      expect(parsed.fault.seq).toBeUndefined();
    }
  });

  it('reports another version naming both versions', () => {
    const parsed = parseRawFrame(encodeRawFrame(0x01, 1, Uint8Array.of(2, 0), { version: 2 }));
    expect(!parsed.ok && parsed.fault.code).toBe(ErrorCode.PROTOCOL_VERSION);
    expect(!parsed.ok && parsed.fault.message).toMatch(/version 2.*version 1/);
  });

  it('reports a header length that differs from the payload as BAD_LENGTH', () => {
    const parsed = parseRawFrame(encodeRawFrame(0x01, 1, Uint8Array.of(1, 0), { length: 5 }));
    expect(!parsed.ok && parsed.fault.code).toBe(ErrorCode.BAD_LENGTH);
  });

  it('reports frames shorter than header + CRC as BAD_FRAME', () => {
    const parsed = parseRawFrame(Uint8Array.of(1, 1, 0, 0, 0));
    expect(!parsed.ok && parsed.fault.code).toBe(ErrorCode.BAD_FRAME);
  });
});
