// serialport's native Linux binding retries forever when read() returns 0 bytes,
// which is exactly what a pseudo-terminal's slave side reads once the board
// process holding the master dies: the host would spin instead of noticing.
// `detectHangups` replaces an open PTY port's read so that end-of-file is reported
// as a disconnect (the stream then closes with an error); otherwise it reads as
// the library does (non-blocking read, wait for the poller on EAGAIN).
import { read, realpathSync } from 'node:fs';
import { promisify } from 'node:util';
import type { LinuxPortBinding } from '@serialport/bindings-cpp';

const readAsync = promisify(read);

/** Also through a symlink (`qiot emulate --link`, a udev alias). */
export function isLinuxPseudoTerminal(path: string): boolean {
  if (process.platform !== 'linux') return false;
  let real = path;
  try {
    real = realpathSync(path);
  } catch {
    // not there (any more): judged by its name
  }
  return /^\/dev\/pts\/\d+$/.test(real);
}

class HangupError extends Error {
  readonly disconnect = true;
  constructor(path: string) {
    super(`${path} hung up (the process on the other end of the pseudo-terminal is gone)`);
  }
}

class CanceledRead extends Error {
  readonly canceled = true;
}

function waitReadable(port: LinuxPortBinding): Promise<void> {
  return new Promise((resolve, reject) => port.poller.once('readable', (err: Error | null) => (err ? reject(err) : resolve())));
}

function isNativeLinuxPort(port: unknown): port is LinuxPortBinding {
  const p = port as Partial<LinuxPortBinding> | null;
  return typeof p?.fd === 'number' && typeof p.poller?.once === 'function' && typeof p.read === 'function';
}

/** Call on the binding port (`serialPort.port`) right after a successful open. */
export function detectHangups(bindingPort: unknown, path: string): void {
  if (!isLinuxPseudoTerminal(path) || !isNativeLinuxPort(bindingPort)) return;
  const port = bindingPort;
  port.read = async (buffer: Buffer, offset: number, length: number) => {
    for (;;) {
      if (!port.isOpen || port.fd === null) throw new CanceledRead('Port is not open');
      try {
        const { bytesRead } = await readAsync(port.fd, buffer, offset, length, null);
        if (bytesRead === 0) throw new HangupError(path);
        return { buffer, bytesRead };
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK' && code !== 'EINTR') throw err;
        // Polling a closed port's (destroyed) poller crashes the native binding.
        if (!port.isOpen || port.fd === null) throw new CanceledRead('Port is not open');
        await waitReadable(port);
      }
    }
  };
}
