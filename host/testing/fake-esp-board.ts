// A stand-in for an ESP32 board on the far end of a pseudo-terminal, for tests of
// the real-board connect path: it first plays what a chip prints while it boots
// (ESP ROM text and line noise, during which HELLO goes unanswered, as on a real
// board whose firmware has not started yet), then answers HELLO with INFO the way
// the qiot firmware does. It counts every HELLO it receives.
import { SerialPort } from 'serialport';
import { MessageType } from '../src/protocol/constants.ts';
import { FrameDecoder } from '../src/protocol/decoder.ts';
import { encodeFrame } from '../src/protocol/frame.ts';

export interface FakeBoardScript {
  /** Chunks written one by one, bootChunkMs apart, before the firmware "starts". */
  bootOutput: Uint8Array[];
  bootChunkMs: number;
  /** false: the firmware never starts (a chip stuck in the ROM). */
  firmwareStarts: boolean;
  /** The firmware writes one 0x00 when it starts, as the ESP32 port does. */
  startDelimiter?: boolean;
  boardName: string;
}

export interface HelloLog {
  /** Milliseconds since start() for every HELLO received. */
  receivedAt: number[];
  /** Time the first INFO was sent, or null. */
  firstInfoAt: number | null;
  /** Time the firmware started answering, or null. */
  firmwareStartedAt: number | null;
}

/** INFO payload laid out by hand from docs/protocol.md ("INFO payload"), independently of
 *  the host's codec: protocol 1, ABI 1, 1024-byte payloads, ring 64, 32 KiB slots, no module. */
export function infoPayload(firmwareVersion: string, boardName: string): Uint8Array {
  const text = (s: string) => [s.length, ...new TextEncoder().encode(s)];
  const u16 = (v: number) => [v & 0xff, v >> 8];
  const u32 = (v: number) => [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >>> 24];
  return Uint8Array.from([
    ...u16(1),
    ...u16(1),
    ...u16(1024),
    ...u16(64),
    ...u32(32 * 1024),
    ...u32(65536),
    ...u16(0),
    0xff,
    ...u32(0),
    ...new Array(32).fill(0),
    ...text(firmwareVersion),
    ...text(boardName),
  ]);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class FakeEspBoard {
  readonly hellos: HelloLog = { receivedAt: [], firstInfoAt: null, firmwareStartedAt: null };
  private firmwareRunning = false;
  private readonly decoder = new FrameDecoder({ waitForDelimiter: false });
  private started = 0;

  private constructor(
    private readonly port: SerialPort,
    private readonly script: FakeBoardScript,
  ) {}

  static async open(path: string, script: FakeBoardScript): Promise<FakeEspBoard> {
    const port = new SerialPort({ path, baudRate: 115_200, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    return new FakeEspBoard(port, script);
  }

  /** Waits for the host's first bytes (a real chip boots when the host resets it after
   *  opening the port; text written to a PTY nobody has opened yet may be lost), then
   *  plays the boot output and (if the script says so) runs the "firmware". */
  async start(): Promise<void> {
    this.started = Date.now();
    const hostOpened = new Promise<void>((resolve) => this.port.once('data', () => resolve()));
    this.port.on('data', (chunk: Buffer) => this.received(chunk));
    await hostOpened;
    for (const chunk of this.script.bootOutput) {
      await this.write(chunk);
      await sleep(this.script.bootChunkMs);
    }
    if (!this.script.firmwareStarts) return;
    if (this.script.startDelimiter) await this.write(Uint8Array.of(0x00));
    this.firmwareRunning = true;
    this.hellos.firmwareStartedAt = Date.now() - this.started;
  }

  private received(chunk: Buffer): void {
    for (const event of this.decoder.push(chunk)) {
      if (event.kind !== 'frame' || event.frame.type !== MessageType.HELLO) continue;
      this.hellos.receivedAt.push(Date.now() - this.started);
      if (!this.firmwareRunning) continue;
      this.hellos.firstInfoAt ??= Date.now() - this.started;
      void this.write(encodeFrame(MessageType.INFO, event.frame.seq, infoPayload('0.1.0', this.script.boardName)));
    }
  }

  private write(bytes: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => this.port.write(Buffer.from(bytes), (err) => (err ? reject(err) : resolve())));
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.port.isOpen ? this.port.close(() => resolve()) : resolve()));
  }
}
