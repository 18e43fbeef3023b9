import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { SerialPortMock } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { openSerialTransport, wrapSerialPort } from './serial.ts';

const collect = (t: { onData(l: (c: Uint8Array) => void): void }, n: number) =>
  new Promise<Buffer>((resolve) => {
    const parts: Buffer[] = [];
    let got = 0;
    t.onData((c) => {
      parts.push(Buffer.from(c));
      got += c.length;
      if (got >= n) resolve(Buffer.concat(parts));
    });
  });

describe('serial transport over the mock binding', () => {
  afterEach(() => SerialPortMock.binding.reset());

  it('writes and receives bytes (echo port)', async () => {
    SerialPortMock.binding.createPort('/dev/qiot-mock', { echo: true });
    const t = await wrapSerialPort(new SerialPortMock({ path: '/dev/qiot-mock', baudRate: 115200, autoOpen: false }));
    const received = collect(t, 5);
    await t.write(Uint8Array.of(1, 0, 2, 0, 3));
    expect([...(await received)]).toEqual([1, 0, 2, 0, 3]);
    const closed = new Promise<Error | null>((r) => t.onClose(r));
    await t.close();
    expect(await closed).toBeNull();
    expect(t.isOpen).toBe(false);
  });

  it('names the path when a port cannot be opened', async () => {
    await expect(openSerialTransport('/dev/qiot-does-not-exist', 115_200)).rejects.toThrow(/cannot open \/dev\/qiot-does-not-exist/);
  });
});

describe('serial transport over a real pseudo-terminal', () => {
  it('exchanges bytes and reports the far side vanishing', async () => {
    // An independent PTY peer: Python echoes one line's worth of bytes, then exits.
    const peer = spawn(
      'python3',
      [
        '-c',
        [
          'import os, pty, sys, tty',
          'm, s = pty.openpty()',
          'tty.setraw(s)',
          'print(os.ttyname(s), flush=True)',
          'data = b""',
          'while len(data) < 4: data += os.read(m, 64)',
          'os.write(m, data[::-1])',
          'sys.stdin.read()',
        ].join('\n'),
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    const path: string = await new Promise((resolve) => createInterface({ input: peer.stdout! }).once('line', (l) => resolve(l.trim())));
    const t = await openSerialTransport(path, 115_200);
    const received = collect(t, 4);
    await t.write(Uint8Array.of(1, 2, 3, 4));
    expect([...(await received)]).toEqual([4, 3, 2, 1]);
    const closed = new Promise<Error | null>((r) => t.onClose(r));
    peer.kill('SIGKILL');
    const err = await closed;
    expect(err).toBeInstanceOf(Error);
    expect(t.isOpen).toBe(false);
  });
});
