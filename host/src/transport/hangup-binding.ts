// serialport's native Linux binding retries forever when read() returns 0 bytes,
// which is exactly what a pseudo-terminal's slave side reads once the board
// process holding the master dies: the host would spin instead of noticing. This
// wraps the native binding so that, for pseudo-terminals, end-of-file is reported
// as a disconnect (the stream then closes with an error), and otherwise reads as
// the library does (non-blocking read, wait for the poller on EAGAIN).
import { read } from 'node:fs';
import { promisify } from 'node:util';
import { SerialPort } from 'serialport';
import type { BindingInterface, LinuxPortBinding, OpenOptions } from '@serialport/bindings-cpp';

const readAsync = promisify(read);
const nativeBinding = SerialPort.binding as BindingInterface;

export function isPseudoTerminal(path: string): boolean {
  return /^\/dev\/pts\/\d+$/.test(path);
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

function hangupAwareRead(port: LinuxPortBinding, path: string) {
  return async (buffer: Buffer, offset: number, length: number) => {
    for (;;) {
      if (!port.isOpen || port.fd === null) throw new CanceledRead('Port is not open');
      try {
        const { bytesRead } = await readAsync(port.fd, buffer, offset, length, null);
        if (bytesRead === 0) throw new HangupError(path);
        return { buffer, bytesRead };
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK' && code !== 'EINTR') throw err;
        await waitReadable(port);
      }
    }
  };
}

export const hangupAwareBinding: BindingInterface = {
  list: () => nativeBinding.list(),
  async open(options: OpenOptions) {
    const port = await nativeBinding.open(options);
    if (process.platform === 'linux' && isPseudoTerminal(options.path)) {
      const linuxPort = port as unknown as LinuxPortBinding;
      linuxPort.read = hangupAwareRead(linuxPort, options.path);
    }
    return port;
  },
};
