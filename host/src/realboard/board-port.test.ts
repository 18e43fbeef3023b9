// The real-board connect path end to end (DeviceClient.open → openBoardPort → HELLO
// polling) over a pseudo-terminal pair: the host side opens with the native serialport
// binding exactly as for /dev/ttyUSB0; the far side plays an ESP32-C3 booting (ROM
// banner, noise) before its firmware answers.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeviceClient } from '../device/client.ts';
import { DeviceUnreachableError } from '../device/errors.ts';
import { CLIENT } from '../device/limits.ts';
import { FrameLink } from '../device/link.ts';
import { MessageType, PROTOCOL_VERSION } from '../protocol/constants.ts';
import { encodeHello } from '../protocol/payloads.generated.ts';
import { isPseudoTerminal, openBoardPort } from './board-port.ts';
import { FakeEspBoard } from '../../testing/fake-esp-board.ts';
import { openPtyPair, type PtyPair } from '../../testing/pty-pair.ts';

const ascii = (s: string) => new TextEncoder().encode(s);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const ROM_BANNER = ascii(
  'ESP-ROM:esp32c3-api1-20210207\r\nBuild:Feb  7 2021\r\nrst:0x1 (POWERON),boot:0xc (SPI_FAST_FLASH_BOOT)\r\n' +
    'SPIWP:0xee\r\nmode:DIO, clock div:1\r\nload:0x3fcd5820,len:0x1714\r\nentry 0x403cc710\r\n',
);
// The same ROM text received at 921600 baud while the ROM sends at 115200: bytes with zeros in them.
const WRONG_BAUD_NOISE = Uint8Array.from([0x00, 0xe0, 0x1c, 0x00, 0x80, 0xfe, 0x00, 0x66, 0x18, 0x00, 0x9e, 0x00]);
// More than one maximum frame (1040 bytes) without a delimiter: the decoder's OVERSIZE path.
const LONG_RUN = new Uint8Array(1500).fill(0x55);
// Something COBS-valid that fails its CRC.
const BAD_CRC_FRAME = Uint8Array.from([0x0b, 0x01, 0x81, 0x01, 0x01, 0x01, 0x01, 0xde, 0xad, 0xbe, 0xef, 0x00]);

let pty: PtyPair;
let board: FakeEspBoard | undefined;

beforeEach(async () => {
  pty = await openPtyPair();
});
afterEach(async () => {
  await board?.close();
  board = undefined;
  pty.close();
});

describe('DeviceClient.open on a board that boots noisily', () => {
  it('skips the boot text, polls HELLO until the firmware answers, then stops polling', async () => {
    board = await FakeEspBoard.open(pty.board, {
      bootOutput: [ROM_BANNER, WRONG_BAUD_NOISE, LONG_RUN, Uint8Array.of(0x00), BAD_CRC_FRAME, ascii('I (312) qiot: starting\r\n')],
      bootChunkMs: 80,
      firmwareStarts: true,
      boardName: 'esp32:esp32c3',
    });
    const warnings: string[] = [];
    const booting = board.start();
    // reset 'esptool' as for a real port; the PTY has no modem lines, so it is skipped
    // with a warning, as esptool does.
    const client = await DeviceClient.open(pty.host, { reset: 'esptool', onWarning: (w) => warnings.push(w) });
    await booting;

    expect(client.info.boardName).toBe('esp32:esp32c3');
    expect(client.info.firmwareVersion).toBe('0.1.0');
    expect(client.info.slotSize).toBe(32 * 1024);
    expect(warnings).toEqual([expect.stringMatching(/not reset: the port has no DTR\/RTS lines/)]);

    const { receivedAt, firstInfoAt } = board.hellos;
    expect(firstInfoAt).not.toBeNull();
    // The firmware started ~480 ms in: HELLO was repeated while it booted …
    expect(receivedAt.filter((t) => t < firstInfoAt!).length).toBeGreaterThanOrEqual(2);
    // … and not once the client had its INFO (HELLOs already on the wire when INFO
    // left the board may still arrive, so the count is taken when open() resolved).
    const countAtConnect = receivedAt.length;
    await sleep(4 * CLIENT.helloIntervalMs);
    expect(receivedAt.length).toBe(countAtConnect);
    await client.link.close();
  });

  it("with the firmware's start-up 0x00, its first INFO after the boot text is taken", async () => {
    // Boot text that does not end in 0x00 would otherwise be glued to the first INFO and
    // fail its CRC. Round trips only, no timing: once the firmware runs, HELLO A and then
    // HELLO B are sent; when INFO B is in, INFO A (sent before it) was either decoded or lost.
    const firstInfoTaken = async (startDelimiter: boolean) => {
      const pair = await openPtyPair();
      const fake = await FakeEspBoard.open(pair.board, {
        bootOutput: [ROM_BANNER, ascii('entry 0x403cc710')],
        bootChunkMs: 50,
        firmwareStarts: true,
        startDelimiter,
        boardName: 'esp32:esp32c3',
      });
      const port = await openBoardPort(pair.host);
      const link = new FrameLink(port.transport);
      try {
        const booting = fake.start();
        await port.transport.write(Uint8Array.of(0x00)); // the host's first bytes start the boot
        await booting;
        const hello = encodeHello({ version: PROTOCOL_VERSION });
        let aDecoded = false;
        const a = link.request(MessageType.HELLO, hello, { timeoutMs: 60_000 }).then(() => (aDecoded = true));
        a.catch(() => undefined); // a lost INFO A is settled by the link's close
        const b = await link.request(MessageType.HELLO, hello, { timeoutMs: 60_000 });
        expect(b.type).toBe(MessageType.INFO);
        return aDecoded;
      } finally {
        await link.close();
        await fake.close();
        pair.close();
      }
    };
    expect(await firstInfoTaken(true)).toBe(true);
    expect(await firstInfoTaken(false)).toBe(false);
  });

  it('leaves a pseudo-terminal alone by default and with reset "none" (--no-reset)', async () => {
    board = await FakeEspBoard.open(pty.board, {
      bootOutput: [ROM_BANNER],
      bootChunkMs: 10,
      firmwareStarts: true,
      boardName: 'esp32:esp32s3',
    });
    const warnings: string[] = [];
    const booting = board.start();
    const client = await DeviceClient.open(pty.host, { onWarning: (w) => warnings.push(w) });
    await booting;
    expect(client.info.boardName).toBe('esp32:esp32s3');
    expect(warnings).toEqual([]);
    await client.link.close();
    expect(isPseudoTerminal(pty.host)).toBe(true);
    expect(isPseudoTerminal('/dev/ttyUSB0')).toBe(false);
  });

  it('explains a board stuck in the ROM with what it printed', async () => {
    board = await FakeEspBoard.open(pty.board, {
      bootOutput: [
        ascii('ESP-ROM:esp32c3-api1-20210207\r\nrst:0x1 (POWERON),boot:0x3 (DOWNLOAD(USB/UART0/1))\r\nwaiting for download\r\n'),
      ],
      bootChunkMs: 10,
      firmwareStarts: false,
      boardName: 'unused',
    });
    const booting = board.start();
    const error = await DeviceClient.open(pty.host, { timeoutMs: 800 }).catch((e: unknown) => e);
    await booting;
    expect(error).toBeInstanceOf(DeviceUnreachableError);
    expect((error as Error).message).toMatch(
      /no answer from .* to \d+ HELLO request\(s\) in 800 ms.*; the board printed ".*waiting for download"; the chip is in ROM download mode/,
    );
    expect(board.hellos.receivedAt.length).toBeGreaterThanOrEqual(3);
  });

  it('names a port that does not exist', async () => {
    const error = await DeviceClient.open('/dev/qiot-no-such-port').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeviceUnreachableError);
    expect((error as Error).message).toMatch(/cannot open \/dev\/qiot-no-such-port/);
  });
});
