// The fault generator and its answer model against the receiver rules of docs/protocol.md:
// each kind of fault must draw the ERROR the protocol prescribes for it.
import { describe, expect, it } from 'vitest';
import { cobsDecode } from '../host/src/protocol/cobs.ts';
import { ErrorCode } from '../host/src/protocol/constants.ts';
import { AnswerModel, FAULT_KINDS, FaultGenerator, type ExpectedError, type FaultKind } from './fault-frames.ts';

const SAMPLES = 5000;

/** The seq in a frame's header (bytes 2–3 after COBS decoding). */
function headerSeq(bytes: Uint8Array): number {
  const raw = cobsDecode(bytes.subarray(0, bytes.indexOf(0)))!;
  return raw[2] | (raw[3] << 8);
}

describe('FaultGenerator + AnswerModel', () => {
  const generator = new FaultGenerator(7);
  const model = new AnswerModel();
  const byKind = new Map<FaultKind, Array<{ bytes: Uint8Array; errors: ExpectedError[] }>>();
  for (let i = 0; i < SAMPLES; i++) {
    const fault = generator.next();
    const list = byKind.get(fault.kind) ?? [];
    list.push({ bytes: fault.bytes, errors: model.errorsFor(fault.bytes) });
    byKind.set(fault.kind, list);
  }

  it('is deterministic for a seed and differs between seeds', () => {
    const a = new FaultGenerator(1);
    const b = new FaultGenerator(1);
    const c = new FaultGenerator(2);
    const take = (g: FaultGenerator) => Array.from({ length: 20 }, () => Buffer.from(g.next().bytes).toString('hex'));
    const fromA = take(a);
    expect(take(b)).toEqual(fromA);
    expect(take(c)).not.toEqual(fromA);
  });

  it(`produces every kind and never a valid request in ${SAMPLES} faults`, () => {
    for (const kind of FAULT_KINDS) expect(byKind.get(kind)?.length ?? 0, kind).toBeGreaterThan(0);
    expect(model.validRequests).toBe(0);
  });

  it.each([
    ['wrong-version', ErrorCode.PROTOCOL_VERSION],
    ['unknown-type', ErrorCode.UNKNOWN_TYPE],
    ['wrong-length', ErrorCode.BAD_LENGTH],
    ['oversize-payload', ErrorCode.OVERSIZE],
  ] as const)('%s frames (good CRC) each draw one error %i carrying the frame’s seq', (kind, code) => {
    for (const { bytes, errors } of byKind.get(kind)!) expect(errors).toEqual([{ code, seq: headerSeq(bytes) }]);
  });

  it('a run longer than a frame without a delimiter draws one OVERSIZE with seq 0', () => {
    for (const { errors } of byKind.get('oversize-run')!) expect(errors).toEqual([{ code: ErrorCode.OVERSIZE, seq: 0 }]);
  });

  it.each(['bit-flip', 'truncated'] as const)('%s frames draw BAD_FRAME or BAD_CRC (seq 0), at least one each', (kind) => {
    for (const { errors } of byKind.get(kind)!) {
      expect(errors.length).toBeGreaterThan(0);
      for (const e of errors) {
        expect([ErrorCode.BAD_FRAME, ErrorCode.BAD_CRC]).toContain(e.code);
        expect(e.seq).toBe(0);
      }
    }
  });
});
