// The real posix board firmware behind a relay that first plays an ESP32 boot on the
// host's side of a pseudo-terminal pair — ROM banner, wrong-baud noise with zero bytes,
// an over-long run — while dropping what the host sends (a ROM does not listen to the
// protocol), then joins the host to the firmware. The host connects as to a real port.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SerialPort } from 'serialport';
import { DeviceClient } from '../device/client.ts';
import { launchPosixBoard, type PosixBoard } from '../boards/posix.ts';
import { openPtyPair, type PtyPair } from '../../testing/pty-pair.ts';

const ascii = (s: string) => new TextEncoder().encode(s);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const BOOT = [
  ascii('ESP-ROM:esp32c3-api1-20210207\r\nBuild:Feb  7 2021\r\nrst:0xc (RTC_SW_CPU_RST),boot:0xc (SPI_FAST_FLASH_BOOT)\r\n'),
  Uint8Array.from([0x00, 0xf8, 0x00, 0x80, 0x1e, 0x00, 0xfe, 0xe6, 0x00]),
  new Uint8Array(1200).fill(0x3c),
  ascii('\r\nentry 0x403cc710\r\n'),
];

function openPort(path: string): Promise<SerialPort> {
  const port = new SerialPort({ path, baudRate: 921_600, autoOpen: false });
  return new Promise((resolve, reject) => port.open((err) => (err ? reject(err) : resolve(port))));
}

let pty: PtyPair;
let board: PosixBoard;
let ports: SerialPort[] = [];

beforeEach(async () => {
  pty = await openPtyPair();
  board = await launchPosixBoard();
});
afterEach(async () => {
  for (const port of ports) if (port.isOpen) await new Promise((r) => port.close(r));
  ports = [];
  await board.stop();
  pty.close();
});

describe('the posix board firmware behind an ESP32 boot', () => {
  it('is reached through the boot text and answers requests after it', async () => {
    const romSide = await openPort(pty.board);
    const firmware = await openPort(board.port);
    ports = [romSide, firmware];
    let droppedWhileBooting = 0;
    let booted = false;
    romSide.on('data', (chunk: Buffer) => (booted ? firmware.write(chunk) : (droppedWhileBooting += chunk.length)));
    firmware.on('data', (chunk: Buffer) => booted && romSide.write(chunk));

    const connecting = DeviceClient.open(pty.host);
    for (const chunk of BOOT) {
      romSide.write(Buffer.from(chunk));
      await sleep(120);
    }
    booted = true;
    const client = await connecting;
    try {
      expect(droppedWhileBooting).toBeGreaterThan(0); // HELLO went unanswered during the boot
      expect(client.info.protocolVersion).toBe(1);
      expect(client.info.boardName).toBe('posix');
      const status = await client.status();
      expect(status.state).toBe(0); // idle
    } finally {
      await client.close();
    }
  });
});
