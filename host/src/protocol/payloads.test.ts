// The generated payload codecs (payloads.generated.ts, from abi/qiot-protocol.ts) against bytes
// written out by hand from docs/protocol.md: the optional parts, counted arrays, arrays to the end
// and byte strings, each way. (abi/emit-payloads.test.ts round-trips every layout.)
import { describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter, PayloadError } from './bytes.ts';
import * as P from './payloads.generated.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const bytes = (h: string) => Uint8Array.from(Buffer.from(h.replace(/ /g, ''), 'hex'));
// 0.5 and -2 as little-endian f64.
const HALF = '000000000000e03f';
const MINUS_TWO = '00000000000000c0';

describe('generated payload codecs', () => {
  it('TRAIN_START: u32 steps, then optionally the mode byte, then optionally u16 count ‖ f64 θ', () => {
    expect(hex(P.encodeTrainStart({ steps: 0x01020304 }))).toBe('04030201');
    expect(hex(P.encodeTrainStart({ steps: 7, telemetryMode: 1 }))).toBe('07000000 01'.replace(/ /g, ''));
    const full = `07000000 01 0200 ${HALF} ${MINUS_TWO}`.replace(/ /g, '');
    expect(hex(P.encodeTrainStart({ steps: 7, telemetryMode: 1, start: [0.5, -2] }))).toBe(full);
    expect(P.decodeTrainStart(bytes(full))).toEqual({ steps: 7, telemetryMode: 1, start: Float64Array.of(0.5, -2) });
    expect(P.decodeTrainStart(bytes('0700000000'))).toEqual({ steps: 7, telemetryMode: 0 });
    // θ without the mode byte before it cannot be laid out.
    expect(() => P.encodeTrainStart({ steps: 7, start: [1] })).toThrow(
      new PayloadError('TRAIN_START: telemetry_mode is needed before the fields given after it'),
    );
    // A count that promises more values than follow.
    expect(() => P.decodeTrainStart(bytes(`07000000 00 0200 ${HALF}`))).toThrow(/start\[1\] needs 8 byte/);
  });

  it('PARAMS_READ: nothing or a u16 first index; its OK: u16 count ‖ f64 values to the end', () => {
    expect(P.encodeParamsRead({}).length).toBe(0);
    expect(hex(P.encodeParamsRead({ first: 300 }))).toBe('2c01');
    expect(P.decodeParamsRead(new Uint8Array(0))).toEqual({});
    expect(P.decodeParamsRead(bytes('2c01'))).toEqual({ first: 300 });
    expect(() => P.decodeParamsRead(bytes('2c'))).toThrow(/first needs 2 byte/);
    const page = `c800 ${HALF} ${MINUS_TWO}`.replace(/ /g, '');
    expect(hex(P.encodeParamsReadOk({ count: 200, values: [0.5, -2] }))).toBe(page);
    expect(P.decodeParamsReadOk(bytes(page))).toEqual({ count: 200, values: Float64Array.of(0.5, -2) });
    expect(P.decodeParamsReadOk(bytes('c800')).values.length).toBe(0);
  });

  it('PARAMS_WRITE: u16 count written from θ, and read back as θ', () => {
    const p = `0200 ${HALF} ${MINUS_TWO}`.replace(/ /g, '');
    expect(hex(P.encodeParamsWrite({ theta: [0.5, -2] }))).toBe(p);
    expect(P.decodeParamsWrite(bytes(p)).theta).toEqual(Float64Array.of(0.5, -2));
    expect(() => P.decodeParamsWrite(bytes(`${p}00`))).toThrow(/1 unexpected trailing byte/);
  });

  it('PROVISION: u8 n ‖ n keys of 32 bytes ‖ the control key when given', () => {
    const k1 = new Uint8Array(32).fill(0x11);
    const k2 = new Uint8Array(32).fill(0x22);
    const control = new Uint8Array(32).fill(0xcc);
    const p = P.encodeProvision({ keys: [k1, k2], controlKey: control });
    expect(hex(p)).toBe(`02${'11'.repeat(32)}${'22'.repeat(32)}${'cc'.repeat(32)}`);
    expect(P.decodeProvision(p)).toEqual({ keys: [k1, k2], controlKey: control });
    expect(hex(P.encodeProvision({ keys: [] }))).toBe('00');
    expect(() => P.encodeProvision({ keys: [new Uint8Array(31)] })).toThrow(new PayloadError('PROVISION keys must be 32 bytes, got 31'));
  });

  it('UPLOAD_BEGIN: u32 size ‖ sha256, and the signed manifest after it when given', () => {
    const sha = new Uint8Array(32).fill(0xab);
    const signature = new Uint8Array(64).fill(0x5a);
    const p = P.encodeUploadBegin({ size: 1000, sha256: sha, version: 2, counter: 3, abi: 1, target: 'rv32', signature });
    expect(hex(p)).toBe(`e8030000${'ab'.repeat(32)}02000000 03000000 0100 04 72763332${'5a'.repeat(64)}`.replace(/ /g, ''));
    expect(p.length).toBe(36 + 11 + 4 + 64);
    expect(P.decodeUploadBegin(p)).toEqual({ size: 1000, sha256: sha, version: 2, counter: 3, abi: 1, target: 'rv32', signature });
    expect(P.decodeUploadBegin(p.subarray(0, 36))).toEqual({ size: 1000, sha256: sha });
    expect(() => P.encodeUploadBegin({ size: 1000, sha256: sha, version: 2 })).toThrow(/UPLOAD_BEGIN: counter is needed/);
  });

  it('ERROR and LOG: a code or level, then UTF-8 text to the end', () => {
    expect(hex(P.encodeError({ code: 18, text: 'ok' }))).toBe('12006f6b');
    expect(P.decodeError(bytes('1200'))).toEqual({ code: 18, text: '' });
    expect(P.decodeLog(bytes('03c3a9'))).toEqual({ level: 3, text: 'é' });
  });

  it('OK answers: TELEMETRY_ACK, UPLOAD_COMMIT', () => {
    expect(hex(P.encodeTelemetryAckOk({ acked: 5, dropped: 0x100 }))).toBe('0500000000010000');
    const sha = Uint8Array.from({ length: 32 }, (_, i) => i);
    expect(P.decodeUploadCommitOk(bytes(`01${hex(sha)}`))).toEqual({ activeSlot: 1, sha256: sha });
    expect(() => P.decodeUploadCommitOk(bytes('01'))).toThrow(/OK \(UPLOAD_COMMIT\) payload too short: sha256/);
  });

  it('i32 and f32 fields and arrays (the layouts allow them; no message uses them yet)', () => {
    const b = new ByteWriter().i32(-2).f32(0.5).array('i32', [1, -1]).array('f32', [-2]).finish();
    expect(hex(b)).toBe('feffffff 0000003f 01000000 ffffffff 000000c0'.replace(/ /g, ''));
    const r = new ByteReader(b, 'X');
    expect([r.i32('a'), r.f32('b')]).toEqual([-2, 0.5]);
    expect(r.array('i32', 2, 'c')).toEqual(Int32Array.of(1, -1));
    expect(r.restArray('f32', 'd')).toEqual(Float32Array.of(-2));
    expect(() => new ByteWriter().i32(2 ** 31)).toThrow(/does not fit a signed 32-bit field/);
    expect(() => new ByteReader(Uint8Array.of(1, 2, 3), 'X').restArray('f32', 'd')).toThrow(/X: 3 bytes of d is not a whole number of f32/);
  });
});
