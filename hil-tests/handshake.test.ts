// Handshake and versions: the board's INFO carries the host's protocol and ABI versions and
// the documented capacities; a frame of another protocol version is answered ERROR
// PROTOCOL_VERSION (with its seq, naming both versions) and the board keeps serving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BoardState, ErrorCode, MAX_PAYLOAD, MessageType, PROTOCOL_VERSION } from '../host/src/protocol/constants.ts';
import { encodeRawFrame, wireBytes, type Frame } from '../host/src/protocol/frame.ts';
import { encodeHello, decodeError } from '../host/src/protocol/payloads.generated.ts';
import { ABI_VERSION } from '../host/src/wasm/abi.ts';
import { HilBoard } from './board.ts';
import { describeNeeding, PROBE } from './capabilities.ts';
import { BASE_MS } from './limits.ts';
import { scaled, TARGET } from './target.ts';

/** The wasm page size (docs/abi.md: the module runs in exactly one 64 KiB page). */
const WASM_PAGE = 65_536;

describe(`handshake (${TARGET.name})`, () => {
  let board: HilBoard;
  beforeAll(async () => {
    board = await HilBoard.start();
  });
  afterAll(() => board?.close());

  it('INFO carries the host’s protocol and ABI versions and the documented capacities', () => {
    const info = board.client.info;
    expect(info.protocolVersion).toBe(PROTOCOL_VERSION);
    expect(info.abiVersion).toBe(ABI_VERSION);
    expect(info.maxPayload).toBe(MAX_PAYLOAD);
    expect(info.pageSize).toBe(WASM_PAGE);
    expect(info.ringCapacity).toBeGreaterThan(0);
    expect(info.slotSize).toBeGreaterThan(0);
    expect(info.firmwareVersion).not.toBe('');
    expect(info.boardName).toBe(PROBE.boardName);
  });

  describeNeeding(['frames'], 'frames of other protocol versions', () => {
    it.each([0, 2, 255])(
      'a frame of protocol version %i gets ERROR PROTOCOL_VERSION with its seq; the board keeps serving',
      async (version) => {
        const seq = 0x1234 + version;
        const answers: Frame[] = [];
        // Only frames with this seq: a board that has just booted may still answer HELLO polls of the handshake.
        const off = board.serial.link.onFrame((f) => f.seq === seq && answers.push(f));
        let info: Awaited<ReturnType<typeof board.serial.refreshInfo>>;
        try {
          await board.serial.link.sendRaw(
            wireBytes(encodeRawFrame(MessageType.HELLO, seq, encodeHello({ version: version }), { version })),
          );
          const deadline = Date.now() + scaled(BASE_MS.faultAnswers);
          while (answers.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
          // The board answers in order: a second answer to the faulty frame would come before this INFO.
          info = await board.serial.refreshInfo();
        } finally {
          off();
        }
        expect(answers).toHaveLength(1);
        const [answer] = answers;
        expect(answer.type).toBe(MessageType.ERROR);
        expect(answer.seq).toBe(seq);
        expect(answer.version).toBe(PROTOCOL_VERSION);
        const error = decodeError(answer.payload);
        expect(error.code).toBe(ErrorCode.PROTOCOL_VERSION);
        expect(error.text).toMatch(new RegExp(`\\b${version}\\b`));
        expect(error.text).toMatch(new RegExp(`\\b${PROTOCOL_VERSION}\\b`));

        expect(info.protocolVersion).toBe(PROTOCOL_VERSION);
        expect((await board.serial.status()).state).toBe(BoardState.IDLE);
      },
    );
  });
});
