// Transport over a `serialport` stream, generic over its binding: SerialPort (the
// native binding: real ports and /dev/pts/N) or SerialPortMock (binding-mock) in tests.
import { SerialPort, type SerialPortMock } from 'serialport';
import { detectHangups } from './hangup.ts';
import { describePortHolders, isPortLockedError } from './port-holder.ts';
import { PortOpenError, type Transport } from './transport.ts';

type SerialPortStream = SerialPort | SerialPortMock;

export async function openSerialTransport(path: string, baudRate: number): Promise<Transport> {
  return wrapSerialPort(new SerialPort({ path, baudRate, autoOpen: false }));
}

/** Opens (if needed) and wraps a not-yet-used serialport stream of any binding.
 *  On a pseudo-terminal the far side vanishing then ends the link (hangup.ts). */
export async function wrapSerialPort(port: SerialPortStream): Promise<Transport> {
  if (!port.isOpen) {
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(openError(port.path, err)) : resolve())));
  }
  detectHangups(port.port, port.path);
  return new SerialTransport(port.path, port);
}

function openError(path: string, err: Error): PortOpenError {
  if (!isPortLockedError(err)) return new PortOpenError(path, err);
  return new PortOpenError(path, new Error(describePortHolders(path)), true);
}

class SerialTransport implements Transport {
  private closeListeners: Array<(error: Error | null) => void> = [];
  private closed = false;
  private closeError: Error | null = null;

  constructor(
    readonly description: string,
    private readonly port: SerialPortStream,
  ) {
    port.on('close', (err: Error | null) => this.ended(err ?? null));
    // Errors after open (EIO on a vanished PTY …) end the link; 'close' may not follow.
    port.on('error', (err: Error) => this.ended(err));
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  private ended(err: Error | null): void {
    if (this.closed) return;
    this.closed = true;
    this.closeError = err;
    for (const l of this.closeListeners) l(err);
  }

  write(bytes: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new Error(`${this.description} is closed`));
      this.port.write(Buffer.from(bytes), (err) => (err ? reject(err) : resolve()));
    });
  }

  onData(listener: (chunk: Uint8Array) => void): void {
    this.port.on('data', (chunk: Buffer) => listener(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length)));
  }

  onClose(listener: (error: Error | null) => void): void {
    if (this.closed) listener(this.closeError);
    else this.closeListeners.push(listener);
  }

  async close(): Promise<void> {
    if (this.closed || !this.port.isOpen) {
      this.ended(null);
      return;
    }
    await new Promise<void>((resolve) => this.port.close(() => resolve()));
    this.ended(null);
  }
}
