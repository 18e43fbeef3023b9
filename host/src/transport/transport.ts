// A duplex byte link to a board. The device client only sees this interface, so
// a real serial port, a pseudo-terminal and an in-process pair are interchangeable.
import { QiotError } from '../errors.ts';

export interface Transport {
  /** What the link is connected to (a port path, or a name for in-process links). */
  readonly description: string;
  write(bytes: Uint8Array): Promise<void>;
  /** Called with every chunk of received bytes. */
  onData(listener: (chunk: Uint8Array) => void): void;
  /** Called once when the link ends: `error` is null for a close we asked for. */
  onClose(listener: (error: Error | null) => void): void;
  readonly isOpen: boolean;
  close(): Promise<void>;
}

/** The port could not be opened at all. */
export class PortOpenError extends QiotError {
  constructor(
    path: string,
    cause: Error,
    /** Another process holds the port (serialport's exclusive lock); `cause` then names it. */
    readonly locked = false,
  ) {
    super(`cannot open ${path}: ${cause.message}`, 'unreachable', { cause });
    this.name = 'PortOpenError';
  }
}
