// A monitor session: shows what a board sends on its own, and when the link is lost
// (board restarted, emulator restarted, cable pulled) waits for the board to come back
// on the same path instead of ending — as `idf.py monitor` and `pio device monitor` do.
// It ends on quit(), or when the output cannot be written (the error is returned, the
// port released).
import type { DeviceClient } from '../device/client.ts';
import type { Frame } from '../protocol/frame.ts';
import { PortOpenError } from '../transport/transport.ts';
import { type MonitorFilter, passes } from './filter.ts';
import { MONITOR } from './limits.ts';
import { linkRecord, type MonitorRecord, recordOfFrame } from './records.ts';

export interface MonitorSessionOptions {
  port: string;
  /** Opens and handshakes without resetting the board; `signal` aborts the attempt (quit). */
  open(handshakeTimeoutMs: number | undefined, signal: AbortSignal): Promise<DeviceClient>;
  /** Shows one record; a throw (disk full, closed pipe) ends the session. */
  write(record: MonitorRecord): void;
  filter: MonitorFilter;
  reconnectIntervalMs?: number;
}

export type MonitorOutcome = { ended: 'quit' } | { ended: 'output-error'; error: Error };

const describeInfo = (c: DeviceClient) => `${c.info.boardName} (firmware ${c.info.firmwareVersion})`;

export class MonitorSession {
  private client: DeviceClient | null = null;
  private wake: (() => void) | null = null;
  private quitting = false;
  private outputError: Error | null = null;
  /** Aborted by quit(): a connection attempt under way is given up at once. */
  private readonly quitSignal = new AbortController();

  constructor(private readonly opts: MonitorSessionOptions) {}

  /**
   * Opens the board the first time: errors (unreachable, port held) are the caller's.
   * Resolves false when quit() came first (nothing is left open).
   */
  async start(): Promise<boolean> {
    try {
      this.client = await this.opts.open(undefined, this.quitSignal.signal);
    } catch (err) {
      if (this.quitting) return false;
      throw err;
    }
    if (this.quitting) {
      await this.client.close().catch(() => undefined);
      this.client = null;
      return false;
    }
    this.show(linkRecord(`connected to ${describeInfo(this.client)} on ${this.opts.port}`));
    return true;
  }

  quit(): void {
    this.quitting = true;
    this.quitSignal.abort();
    this.wake?.();
  }

  /** RESET (the board answers, then restarts; posix keeps its pseudo-terminal), then a new handshake. */
  async reset(): Promise<void> {
    const client = this.client;
    if (!client) return this.show(linkRecord('reset: no board connected', 'warn'));
    this.show(linkRecord(`resetting the board on ${this.opts.port}`));
    try {
      await client.reset();
      await client.refreshInfo();
      this.show(linkRecord(`board restarted: connected to ${describeInfo(client)}`));
    } catch (err) {
      this.show(linkRecord(`reset: ${(err as Error).message}`, 'warn'));
    }
  }

  /** Runs until quit() or an output error; call after start(). */
  async run(): Promise<MonitorOutcome> {
    while (!this.quitting && !this.outputError) {
      if (this.client) await this.watch(this.client);
      else await this.reconnect();
    }
    await this.client?.close().catch(() => undefined);
    this.client = null;
    return this.outputError ? { ended: 'output-error', error: this.outputError } : { ended: 'quit' };
  }

  private show(record: MonitorRecord): void {
    if (this.outputError || !passes(this.opts.filter, record)) return;
    try {
      this.opts.write(record);
    } catch (err) {
      this.outputError = err as Error;
      this.wake?.();
    }
  }

  private onFrame = (frame: Frame): void => {
    let record: MonitorRecord | null;
    try {
      record = recordOfFrame(frame);
    } catch (err) {
      record = linkRecord(`undecodable frame 0x${frame.type.toString(16)}: ${(err as Error).message}`, 'warn');
    }
    if (record) this.show(record);
  };

  private async watch(client: DeviceClient): Promise<void> {
    const unsubscribe = client.link.onFrame(this.onFrame);
    let lost = false;
    let stopWatching = () => undefined as unknown;
    await new Promise<void>((resolve) => {
      this.wake = resolve;
      stopWatching = client.link.onLost(() => {
        lost = true;
        resolve();
      });
    });
    this.wake = null;
    stopWatching();
    unsubscribe();
    if (!lost) return; // quit or output error: run() closes the client
    const why = client.link.closedError?.message ?? 'closed';
    await client.close().catch(() => undefined);
    if (this.client === client) this.client = null;
    this.show(linkRecord(`link lost: ${why}; waiting for the board on ${this.opts.port}`, 'warn'));
  }

  private async reconnect(): Promise<void> {
    let toldHeld = false;
    while (!this.quitting && !this.outputError) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        timer = setTimeout(resolve, this.opts.reconnectIntervalMs ?? MONITOR.reconnectIntervalMs);
      });
      clearTimeout(timer);
      this.wake = null;
      if (this.quitting || this.outputError) return;
      try {
        this.client = await this.opts.open(MONITOR.reconnectHandshakeMs, this.quitSignal.signal);
      } catch (err) {
        const cause = (err as Error).cause;
        if (cause instanceof PortOpenError && cause.locked && !toldHeld) {
          toldHeld = true;
          this.show(linkRecord((cause.cause as Error).message, 'warn'));
        }
        continue;
      }
      if (this.quitting || this.outputError) return;
      this.show(linkRecord(`reconnected to ${describeInfo(this.client)} on ${this.opts.port}`));
      return;
    }
  }
}
