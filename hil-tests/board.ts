// The board under test as the suite sees it: launched (posix, rv32) or opened (a serial
// device), with a connected DeviceClient, and the three ways the suite restarts it:
//   reconnect()   the host closes its port and opens it again (the board keeps running);
//   powerCycle()  emulated: the process is killed like a power cut and relaunched on the same
//                 store (state file / pflash image); a real board gets a RESET frame instead;
//   close()       ends the session (and the emulator).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeviceClient } from '../host/src/device/client.ts';
import type { RunningBoard } from '../host/src/boards/board.ts';
import type { UploadOptions, UploadResult } from '../host/src/device/upload.ts';
import { BASE_MS } from './limits.ts';
import { scaled, TARGET, type TargetSpec } from './target.ts';

export class HilBoard {
  private emulator: RunningBoard | null = null;
  private current: DeviceClient | null = null;
  private readonly scratch: string;

  private constructor(readonly spec: TargetSpec) {
    this.scratch = mkdtempSync(join(tmpdir(), `qiot-hil-${spec.name}-`));
  }

  /** Starts (emulated) or opens (serial) the board and handshakes. Emulated boards start
   *  with an empty store kept in a scratch directory, so every test file is independent. */
  static async start(spec: TargetSpec = TARGET): Promise<HilBoard> {
    const board = new HilBoard(spec);
    try {
      await board.launch();
      await board.connect(true);
    } catch (err) {
      await board.close();
      throw err;
    }
    return board;
  }

  get client(): DeviceClient {
    if (!this.current) throw new Error('no connection to the board (a previous step failed to reconnect)');
    return this.current;
  }

  get port(): string {
    return this.spec.path ?? this.emulator!.port;
  }

  private async launch(): Promise<void> {
    const { launch, stateFileName = 'store' } = this.spec.board;
    if (launch) this.emulator = await launch({ state: join(this.scratch, stateFileName) });
  }

  /** Opens the port and polls HELLO. A real board is restarted through DTR/RTS only on the
   *  first open of a session; reconnects must not restart it. */
  private async connect(first: boolean): Promise<DeviceClient> {
    try {
      this.current = await DeviceClient.open(this.port, {
        timeoutMs: scaled(BASE_MS.connect),
        baudRate: this.spec.baud,
        ...(!this.spec.emulated && !first ? { reset: 'none' as const } : {}),
      });
    } catch (err) {
      // An emulator that does not answer usually said why on stderr.
      const said = this.emulator?.log().trim();
      if (said && err instanceof Error) err.message += `\n${this.spec.name} emulator output:\n${said}`;
      throw err;
    }
    return this.current;
  }

  /** Uploads with the target's chunk window (limits.ts). */
  upload(module: Uint8Array, opts: UploadOptions = {}): Promise<UploadResult> {
    return this.client.upload(module, { window: this.spec.board.uploadWindow, ...opts });
  }

  /** The host drops the link (closes its port) without telling the board. */
  async disconnect(): Promise<void> {
    const client = this.current;
    this.current = null;
    await client?.close();
  }

  async reconnect(): Promise<DeviceClient> {
    await this.disconnect();
    return this.connect(false);
  }

  /** Emulated: a power cut (SIGKILL; QEMU gets SIGTERM, which stops the guest at once just the
   *  same) and a relaunch on the same store. Serial: RESET, then reconnect. */
  async powerCycle(): Promise<DeviceClient> {
    if (this.spec.emulated) {
      await this.cutPower();
      return this.restart();
    }
    await this.client.reset();
    return this.reconnect();
  }

  /** Emulated boards only: kills the board process now (no chance to finish anything). */
  async cutPower(): Promise<void> {
    if (!this.emulator) throw new Error(`${this.spec.name} cannot be power-cut by the host`);
    const client = this.current;
    this.current = null;
    this.emulator.kill('SIGKILL');
    await this.emulator.stop();
    await client?.close().catch(() => undefined);
    this.emulator = null;
  }

  /** After cutPower(): relaunches the emulator on the same store and handshakes. */
  async restart(): Promise<DeviceClient> {
    if (this.emulator) throw new Error('restart() while the board is still running: cutPower() first');
    await this.launch();
    return this.connect(false);
  }

  async close(): Promise<void> {
    await this.current?.close().catch(() => undefined);
    this.current = null;
    await this.emulator?.stop();
    this.emulator = null;
    rmSync(this.scratch, { recursive: true, force: true });
  }
}
