// Payload codecs: layouts checked field by field with an independent DataView,
// then every encoder/decoder pair round-trips.
import { describe, expect, it } from 'vitest';
import { PayloadError } from './bytes.ts';
import * as I from './info.ts';
import * as P from './payloads.generated.ts';

const sha = Uint8Array.from({ length: 32 }, (_, i) => i * 7);
const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

describe('request payloads', () => {
  it('HELLO is a u16 version', () => {
    const p = P.encodeHello({ version: 0x0102 });
    expect([...p]).toEqual([2, 1]);
    expect(P.decodeHello(p)).toEqual({ version: 0x0102 });
  });

  it('UPLOAD_BEGIN is u32 size ‖ sha256', () => {
    const p = P.encodeUploadBegin({ size: 70000, sha256: sha });
    expect(p.length).toBe(36);
    expect(view(p).getUint32(0, true)).toBe(70000);
    expect([...p.subarray(4)]).toEqual([...sha]);
    expect(P.decodeUploadBegin(p)).toEqual({ size: 70000, sha256: sha });
    expect(() => P.encodeUploadBegin({ size: 1, sha256: new Uint8Array(31) })).toThrow(/32 bytes/);
  });

  it('UPLOAD_CHUNK / DATASET are u32 offset ‖ data', () => {
    const data = Uint8Array.of(9, 8, 7);
    const p = P.encodeUploadChunk({ offset: 2040, data });
    expect(view(p).getUint32(0, true)).toBe(2040);
    expect(P.decodeUploadChunk(p)).toEqual({ offset: 2040, data });
  });

  it('CONFIG must be the 192-byte struct', () => {
    expect(P.encodeConfig({ config: new Uint8Array(192) }).length).toBe(192);
    expect(() => P.encodeConfig({ config: new Uint8Array(159) })).toThrow(/config must be 192 bytes, got 159/);
  });

  it('TRAIN_START and TELEMETRY_FETCH are a u32', () => {
    expect(view(P.encodeTrainStart({ steps: 123456 })).getUint32(0, true)).toBe(123456);
    expect(P.decodeTrainStart(P.encodeTrainStart({ steps: 5 }))).toEqual({ steps: 5 });
    expect(P.decodeTelemetryFetch(P.encodeTelemetryFetch({ fromTseq: 99 }))).toEqual({ fromTseq: 99 });
    expect(view(P.encodeTrainStart({ steps: 2 ** 32 - 1 })).getUint32(0, true)).toBe(2 ** 32 - 1);
  });

  it('a value that does not fit its field is refused, not truncated', () => {
    expect(() => P.encodeTrainStart({ steps: 2 ** 32 })).toThrow(new PayloadError('4294967296 does not fit an unsigned 32-bit field'));
    expect(() => P.encodeTelemetryFetch({ fromTseq: -1 })).toThrow(/-1 does not fit an unsigned 32-bit field/);
    expect(() => P.encodeHello({ version: 65536 })).toThrow(/65536 does not fit an unsigned 16-bit field/);
    expect(() => P.encodeTrainStart({ steps: 1.5 })).toThrow(/1\.5 does not fit/);
    expect(() => P.encodeParamsWrite({ theta: new Float64Array(65536) })).toThrow(/65536 does not fit an unsigned 16-bit field/);
    expect(() => P.encodeLog({ level: 256, text: '' })).toThrow(/256 does not fit an unsigned 8-bit field/);
    expect(() => P.encodeStatus({ state: 0, step: 0, nextTseq: 0, activeSlot: 0, shotsTotal: -1n })).toThrow(
      /-1 does not fit an unsigned 64-bit field/,
    );
  });

  it('PARAMS is u16 count ‖ f64[count]', () => {
    const theta = [0.5, -Math.PI, 1e-300];
    const p = P.encodeParamsWrite({ theta });
    expect(p.length).toBe(2 + 24);
    expect(view(p).getUint16(0, true)).toBe(3);
    expect(view(p).getFloat64(2 + 8, true)).toBe(-Math.PI);
    expect([...P.decodeParamsWrite(p).theta]).toEqual(theta);
    expect(() => P.decodeParamsWrite(p.subarray(0, 20))).toThrow(PayloadError);
  });

  it('PARAMS_READ asks from a u16 index; its answer is u16 count (all of θ) ‖ a page of f64', () => {
    expect([...P.encodeParamsRead({ first: 300 })]).toEqual([44, 1]);
    const page = new Uint8Array(2 + 16);
    view(page).setUint16(0, 200, true);
    view(page).setFloat64(2, 0.25, true);
    view(page).setFloat64(10, -7, true);
    const decoded = P.decodeParamsReadOk(page);
    expect(decoded.count).toBe(200);
    expect([...decoded.values]).toEqual([0.25, -7]);
    expect(P.decodeParamsReadOk(page.subarray(0, 2)).values.length).toBe(0);
    expect(() => P.decodeParamsReadOk(page.subarray(0, 13))).toThrow(/11 bytes of values is not a whole number of f64/);
  });
});

describe('board payloads', () => {
  const info: I.DeviceInfo = {
    protocolVersion: 1,
    abiVersion: 1,
    maxPayload: 1024,
    ringCapacity: 256,
    slotSize: 32768,
    pageSize: 65536,
    maxQubits: 10,
    activeSlot: 1,
    moduleSize: 9000,
    moduleSha256: sha,
    firmwareVersion: '0.1.0',
    boardName: 'posix',
  };

  it('INFO has the documented layout', () => {
    const p = I.encodeDeviceInfo(info);
    const v = view(p);
    expect(v.getUint16(0, true)).toBe(1);
    expect(v.getUint16(4, true)).toBe(1024);
    expect(v.getUint32(8, true)).toBe(32768);
    expect(v.getUint32(12, true)).toBe(65536);
    expect(v.getUint16(16, true)).toBe(10);
    expect(v.getUint8(18)).toBe(1);
    expect(v.getUint32(19, true)).toBe(9000);
    expect([...p.subarray(23, 55)]).toEqual([...sha]);
    expect(v.getUint8(55)).toBe(5);
    expect(Buffer.from(p.subarray(56, 61)).toString()).toBe('0.1.0');
    expect(v.getUint8(61)).toBe(5);
    expect(Buffer.from(p.subarray(62)).toString()).toBe('posix');
    expect(I.decodeDeviceInfo(p)).toEqual(info);
    expect(I.peekInfoVersion(p)).toBe(1);
  });

  it('INFO with the security and boot sections: the boot section follows the 99 bytes the firmware writes before it', () => {
    const security = {
      provisioned: true,
      moduleVerified: true,
      floor: 3,
      moduleVersion: 2,
      moduleCounter: 4,
      nonce: new Uint8Array(16).fill(7),
      lastCounter: 9,
    };
    const previous = { size: 1234, sha256: new Uint8Array(32).fill(0xab) };
    const boot = { pending: true, trialStepsLeft: 10, event: 1, eventCause: 2, resetCause: 3, previous };
    const p = I.encodeDeviceInfo({ ...info, boardName: 'fake', security, boot });
    const v = view(p);
    expect(p.length).toBe(99 + 44); // firmware/tests/test_trial.c reads the same offsets
    expect([v.getUint8(99), v.getUint8(100), v.getUint8(101), v.getUint8(102)]).toEqual([3, 1, 2, 3]);
    expect([v.getUint32(103, true), v.getUint32(107, true)]).toEqual([10, 1234]);
    expect([...p.subarray(111)]).toEqual([...previous.sha256]);
    expect(I.decodeDeviceInfo(p)).toEqual({ ...info, boardName: 'fake', security, boot });
    const noPrevious = I.decodeDeviceInfo(
      I.encodeDeviceInfo({ ...info, boardName: 'fake', security, boot: { ...boot, previous: undefined } }),
    );
    expect(noPrevious.boot?.previous).toBeUndefined();
  });

  it('INFO that is cut short names the missing field', () => {
    expect(() => I.decodeDeviceInfo(I.encodeDeviceInfo(info).subarray(0, 30))).toThrow(/module_sha256/);
  });

  it('STATUS, TELEMETRY, DONE, LOG, ERROR round-trip with their layouts', () => {
    const status = { state: 1, step: 17, nextTseq: 300, activeSlot: 0, shotsTotal: 2n ** 40n + 3n };
    const sp = P.encodeStatus(status);
    expect(sp.length).toBe(18);
    expect(view(sp).getBigUint64(10, true)).toBe(2n ** 40n + 3n);
    expect(P.decodeStatus(sp)).toEqual(status);

    const record = Uint8Array.from({ length: 64 }, (_, i) => 255 - i);
    const tp = P.encodeTelemetry({ tseq: 42, stepUs: 1500, record });
    expect(tp.length).toBe(72);
    expect(view(tp).getUint32(4, true)).toBe(1500);
    expect(P.decodeTelemetry(tp)).toEqual({ tseq: 42, stepUs: 1500, record });
    expect(() => P.decodeTelemetry(tp.subarray(0, 71))).toThrow(/record/);

    const done = { status: 1, steps: 12, shotsTotal: 5000n, trainLoss: 0.25, testAccuracy: NaN, testLoss: 0.5 };
    const dp = P.encodeDone(done);
    expect(dp.length).toBe(40);
    expect(view(dp).getFloat64(24, true)).toBeNaN();
    expect(P.decodeDone(dp)).toEqual(done);

    expect(P.decodeLog(P.encodeLog({ level: 2, text: 'héllo' }))).toEqual({ level: 2, text: 'héllo' });
    const ep = P.encodeError({ code: 9, text: 'expected offset 2040' });
    expect([...ep.subarray(0, 2)]).toEqual([9, 0]);
    expect(P.decodeError(ep)).toEqual({ code: 9, text: 'expected offset 2040' });
  });

  it('OK payloads round-trip', () => {
    expect(P.decodeDatasetOk(P.encodeDatasetOk({ end: 4096 }))).toEqual({ end: 4096 });
    expect(() => P.decodeUploadBeginOk(new Uint8Array(0))).toThrow(/resume/);
    expect(P.decodeUploadCommitOk(P.encodeUploadCommitOk({ activeSlot: 0, sha256: sha }))).toEqual({ activeSlot: 0, sha256: sha });
    const f = { firstHeld: 3, nextTseq: 10, missing: 2 };
    expect(P.decodeTelemetryFetchOk(P.encodeTelemetryFetchOk(f))).toEqual(f);
  });
});
