// Malformed input on the real board's link: each gets the documented ERROR and
// the board keeps serving (a HELLO afterwards is answered).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceClient } from '../device/client.ts';
import { ErrorCode, MAX_ENCODED_FRAME, MessageType, PROTOCOL_VERSION } from '../protocol/constants.ts';
import { crc32, encodeFrame, encodeRawFrame, wireBytes, type Frame } from '../protocol/frame.ts';
import { encodeHello, decodeError } from '../protocol/payloads.generated.ts';
import { startBoard, type BoardSession } from '../../testing/harness.ts';

const cat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

/** Sends raw bytes and collects the ERROR frames that come back within a short window. */
async function errorsFor(
  client: DeviceClient,
  bytes: Uint8Array,
  expected: number,
): Promise<{ code: number; seq: number; text: string }[]> {
  const errors: { code: number; seq: number; text: string }[] = [];
  let off: () => void = () => undefined;
  let timer: NodeJS.Timeout | undefined;
  const got = new Promise<void>((resolve) => {
    off = client.link.onFrame((f: Frame) => {
      if (f.type !== MessageType.ERROR) return;
      errors.push({ ...decodeError(f.payload), seq: f.seq });
      if (errors.length >= expected) resolve();
    });
  });
  try {
    await client.link.sendRaw(bytes);
    await Promise.race([got, new Promise((r) => (timer = setTimeout(r, 3000)))]);
  } finally {
    // Also on a timeout: a late ERROR must not land in this case's list after it was checked.
    off();
    clearTimeout(timer);
  }
  return errors;
}

describe('posix board: malformed frames', () => {
  let session: BoardSession;
  beforeAll(async () => {
    session = await startBoard();
  });
  afterAll(() => session?.close());

  const corruptCrc = () => {
    const raw = encodeRawFrame(MessageType.STATUS_REQUEST, 40);
    raw[raw.length - 1] ^= 0xff;
    return wireBytes(raw);
  };
  const truncated = () => {
    const wire = encodeFrame(MessageType.HELLO, 41, encodeHello({ version: PROTOCOL_VERSION }));
    return cat(wire.subarray(0, 4), Uint8Array.of(0));
  };

  const cases: Array<[string, () => Uint8Array, number, number]> = [
    ['bad CRC', corruptCrc, ErrorCode.BAD_CRC, 0],
    ['truncated frame', truncated, ErrorCode.BAD_FRAME, 0],
    [
      'oversize (no delimiter for more than the maximum)',
      () => cat(new Uint8Array(MAX_ENCODED_FRAME + 50).fill(0x11), Uint8Array.of(0)),
      ErrorCode.OVERSIZE,
      0,
    ],
    ['payload over 1024 bytes', () => wireBytes(encodeRawFrameUnchecked(MessageType.DATASET, 42, 1025)), ErrorCode.OVERSIZE, 42],
    ['unknown request type', () => encodeFrame(0x42, 43), ErrorCode.UNKNOWN_TYPE, 43],
    ['garbage between frames', () => Uint8Array.of(0x13, 0x37, 0x42, 0x00), ErrorCode.BAD_FRAME, 0],
    [
      'wrong protocol version',
      () => wireBytes(encodeRawFrame(MessageType.HELLO, 44, encodeHello({ version: 2 }), { version: 2 })),
      ErrorCode.PROTOCOL_VERSION,
      44,
    ],
    [
      'header length differs from payload',
      () => wireBytes(encodeRawFrame(MessageType.HELLO, 45, encodeHello({ version: 1 }), { length: 7 })),
      ErrorCode.BAD_LENGTH,
      45,
    ],
  ];

  it.each(cases)('%s → the right ERROR, then HELLO still works', async (_name, bytes, code, seq) => {
    const errors = await errorsFor(session.client, bytes(), 1);
    expect(errors.map((e) => [e.code, e.seq])).toEqual([[code, seq]]);
    const info = await session.client.refreshInfo();
    expect(info.protocolVersion).toBe(PROTOCOL_VERSION);
  });

  it('a wrong-version frame is answered naming the board’s version', async () => {
    const [e] = await errorsFor(
      session.client,
      wireBytes(encodeRawFrame(MessageType.HELLO, 46, encodeHello({ version: 9 }), { version: 9 })),
      1,
    );
    expect(e.text).toMatch(/version 1/);
  });

  it('a frame before and after garbage are both answered', async () => {
    const status = session.client.status();
    await session.client.link.sendRaw(Uint8Array.of(0xde, 0xad, 0xbe, 0xef, 0x00));
    const again = session.client.status();
    await expect(status).resolves.toMatchObject({ state: 0 });
    await expect(again).resolves.toMatchObject({ state: 0 });
  });
});

/** A frame with an over-long payload, which encodeRawFrame rightly refuses to build. */
function encodeRawFrameUnchecked(type: number, seq: number, payloadLength: number): Uint8Array {
  const raw = new Uint8Array(6 + payloadLength + 4);
  const view = new DataView(raw.buffer);
  view.setUint8(0, PROTOCOL_VERSION);
  view.setUint8(1, type);
  view.setUint16(2, seq, true);
  view.setUint16(4, payloadLength, true);
  for (let i = 0; i < payloadLength; i++) raw[6 + i] = (i % 255) + 1;
  view.setUint32(6 + payloadLength, crc32(raw.subarray(0, 6 + payloadLength)), true);
  return raw;
}
