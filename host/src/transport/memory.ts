// An in-process pair of connected transports (for unit tests against a fake
// board). Bytes are delivered asynchronously, in order, like a real link.
import type { Transport } from './transport.ts';

class MemoryEnd implements Transport {
  peer!: MemoryEnd;
  private dataListeners: Array<(chunk: Uint8Array) => void> = [];
  private closeListeners: Array<(error: Error | null) => void> = [];
  private open = true;

  constructor(readonly description: string) {}

  get isOpen(): boolean {
    return this.open;
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (!this.open) throw new Error(`${this.description} is closed`);
    const copy = bytes.slice();
    const peer = this.peer;
    setImmediate(() => {
      if (peer.open) for (const l of peer.dataListeners) l(copy);
    });
  }

  onData(listener: (chunk: Uint8Array) => void): void {
    this.dataListeners.push(listener);
  }

  onClose(listener: (error: Error | null) => void): void {
    if (!this.open) listener(null);
    else this.closeListeners.push(listener);
  }

  /** Ends this side normally; the peer sees the link vanish. */
  async close(): Promise<void> {
    this.end(null);
    this.peer.end(new Error(`${this.description} hung up`));
  }

  private end(error: Error | null): void {
    if (!this.open) return;
    this.open = false;
    for (const l of this.closeListeners) l(error);
  }
}

export function createMemoryLink(name = 'memory'): [host: Transport, board: Transport] {
  const host = new MemoryEnd(`${name} (host side)`);
  const board = new MemoryEnd(`${name} (board side)`);
  host.peer = board;
  board.peer = host;
  return [host, board];
}
