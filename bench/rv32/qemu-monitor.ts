// A minimal client of QEMU's human monitor on a unix socket: enough to read
// guest physical memory (`xp`) of a running board.
import { createConnection, type Socket } from 'node:net';

const PROMPT = '(qemu) ';
/** QEMU answers a memory dump of a few thousand words in milliseconds; more is a hang. */
const COMMAND_TIMEOUT_MS = 10_000;

export class QemuMonitor {
  private buffer = '';
  private waiter: (() => void) | null = null;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      this.buffer += text;
      this.waiter?.();
    });
  }

  static async connect(path: string): Promise<QemuMonitor> {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = createConnection(path, () => resolve(s));
      s.once('error', (err) => reject(new Error(`cannot open QEMU monitor ${path}: ${err.message}`)));
    });
    const monitor = new QemuMonitor(socket);
    await monitor.untilPrompt();
    return monitor;
  }

  private untilPrompt(): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`QEMU monitor gave no prompt within ${COMMAND_TIMEOUT_MS} ms`)), COMMAND_TIMEOUT_MS);
      const check = () => {
        const end = this.buffer.indexOf(PROMPT);
        if (end < 0) return;
        const text = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + PROMPT.length);
        this.waiter = null;
        clearTimeout(timer);
        resolve(text);
      };
      this.waiter = check;
      check();
    });
  }

  async command(line: string): Promise<string> {
    this.socket.write(`${line}\n`);
    return this.untilPrompt();
  }

  /** `count` little-endian 32-bit words of guest physical memory from `address`. */
  async readWords(address: number, count: number): Promise<number[]> {
    const output = await this.command(`xp /${count}wx 0x${address.toString(16)}`);
    return parseWordDump(output, address, count);
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Parses `xp /Nwx` output ("0000000080400000: 0x00000001 0x00000002 …" lines). */
export function parseWordDump(output: string, address: number, count: number): number[] {
  const words: number[] = [];
  for (const line of output.split(/\r?\n/)) {
    const m = /^([0-9a-f]{8,16}):((?:\s+0x[0-9a-f]+)+)\s*$/.exec(line.trim());
    if (!m) continue;
    if (parseInt(m[1], 16) !== address + words.length * 4) {
      throw new Error(`QEMU monitor dump is not contiguous at ${m[1]}:\n${output}`);
    }
    for (const word of m[2].trim().split(/\s+/)) words.push(parseInt(word, 16));
  }
  if (words.length !== count) throw new Error(`QEMU monitor returned ${words.length} of ${count} words:\n${output.slice(0, 500)}`);
  return words;
}
