// A connected pair of pseudo-terminals made by socat, for tests that need a real
// serial device node (the native serialport binding, esptool) without hardware.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PtyPair {
  /** Path the host side opens. */
  host: string;
  /** Path the (fake) board side opens. */
  board: string;
  close(): void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function openPtyPair(timeoutMs = 5_000): Promise<PtyPair> {
  const dir = mkdtempSync(join(tmpdir(), 'qiot-pty-'));
  const host = join(dir, 'host');
  const board = join(dir, 'board');
  const socat: ChildProcess = spawn('socat', [`pty,raw,echo=0,link=${host}`, `pty,raw,echo=0,link=${board}`], { stdio: 'ignore' });
  const spawnError = new Promise<never>((_, reject) =>
    socat.on('error', (err) => reject(new Error(`socat is needed for PTY tests (apt-get install socat): ${err.message}`))),
  );
  const ready = (async () => {
    const deadline = Date.now() + timeoutMs;
    while (!(existsSync(host) && existsSync(board))) {
      if (Date.now() > deadline) throw new Error(`socat made no PTY pair within ${timeoutMs} ms`);
      await sleep(20);
    }
  })();
  await Promise.race([ready, spawnError]);
  return {
    host,
    board,
    close() {
      socat.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
