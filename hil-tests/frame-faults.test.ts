// 1000 seeded faulty frames (bit flips, truncations, garbage, wrong lengths and versions,
// unknown types, oversize payloads and runs): the board answers each with the ERROR the
// protocol prescribes — predicted by the host's independent TypeScript receiver, code for code
// and seq for seq — and afterwards a normal session works (HELLO, training bit-identical to Node).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { errorCodeName, MessageType } from '../host/src/protocol/constants.ts';
import { encodeFrame, type Frame } from '../host/src/protocol/frame.ts';
import { decodeError } from '../host/src/protocol/payloads.generated.ts';
import { HilBoard } from './board.ts';
import { describeNeeding } from './capabilities.ts';
import { EXACT, withChanges } from './configs.ts';
import { AnswerModel, FAULT_KINDS, FaultGenerator, type ExpectedError, type FaultCase, type FaultKind } from './fault-frames.ts';
import { BASE_MS, FAULTS } from './limits.ts';
import { boardRun, nodeRun, readModule } from './reference.ts';
import { scaled, TARGET } from './target.ts';

const describeError = (e: ExpectedError) => `${errorCodeName(e.code)}#${e.seq}`;

/** seq of the STATUS request that closes the run: the board answers in order, so every answer to
 *  the faults comes before its STATUS (the faults never form a valid request, so never a STATUS). */
const CLOSING_SEQ = 0xffff;

describeNeeding(['frames'], `faulty frames (${TARGET.name})`, () => {
  let board: HilBoard;
  beforeAll(async () => {
    board = await HilBoard.start();
    expect((await board.upload(readModule())).committed).toBe(true);
  });
  afterAll(() => board?.close());

  it(`${FAULTS.frames} faulty frames get the prescribed ERRORs (seed 0x${FAULTS.seed.toString(16)}), then a normal session works`, async () => {
    const generator = new FaultGenerator(FAULTS.seed);
    const model = new AnswerModel();
    const received: string[] = [];
    let closed = false;
    const off = board.serial.link.onFrame((f: Frame) => {
      if (f.type === MessageType.STATUS && f.seq === CLOSING_SEQ) {
        closed = true;
        return;
      }
      received.push(
        f.type === MessageType.ERROR
          ? describeError({ code: decodeError(f.payload).code, seq: f.seq })
          : `unexpected frame type 0x${f.type.toString(16)} seq ${f.seq}`,
      );
    });
    const kinds = new Map<FaultKind, number>();
    let expectedTotal = 0;
    try {
      let sent = 0;
      while (sent < FAULTS.frames) {
        // One batch: faults up to the batch size, then wait for the batch's answers.
        const batch: FaultCase[] = [];
        let bytes = 0;
        while (sent < FAULTS.frames && (batch.length === 0 || bytes < FAULTS.batchBytes)) {
          const fault = generator.next();
          batch.push(fault);
          bytes += fault.bytes.length;
          sent++;
          kinds.set(fault.kind, (kinds.get(fault.kind) ?? 0) + 1);
        }
        const expected = batch.flatMap((f) => model.errorsFor(f.bytes)).map(describeError);
        const start = received.length;
        for (const f of batch) await board.serial.link.sendRaw(f.bytes);
        const deadline = Date.now() + scaled(BASE_MS.faultAnswers);
        while (received.length - start < expected.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
        expect(
          received.slice(start),
          `answers to faults ${sent - batch.length + 1}…${sent} (kinds ${batch.map((f) => f.kind).join(', ')})`,
        ).toEqual(expected);
        expectedTotal += expected.length;
      }
      // Nothing more arrives late: nothing between the last batch's answers and the STATUS after them.
      await board.serial.link.sendRaw(encodeFrame(MessageType.STATUS_REQUEST, CLOSING_SEQ));
      const deadline = Date.now() + scaled(BASE_MS.faultAnswers);
      while (!closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
      expect(closed, 'the STATUS after the faults was answered').toBe(true);
      expect(received).toHaveLength(expectedTotal);
    } finally {
      off();
    }
    expect(model.validRequests).toBe(0);
    for (const kind of FAULT_KINDS) expect(kinds.get(kind), `faults of kind ${kind}`).toBeGreaterThan(0);
    expect(expectedTotal).toBeGreaterThanOrEqual(FAULTS.frames);

    const info = await board.serial.refreshInfo();
    expect(info.protocolVersion).toBe(1);
    const cfg = withChanges(EXACT, { steps: 3 });
    const [node, run] = [await nodeRun(cfg), await boardRun(board.serial, cfg)];
    expect(run.records).toEqual(node.records);
  });
});
