// The board under test as the suite sees it: launched (posix, rv32), opened (a serial
// device) or reached through its gateway (fleet), with a connected client, and the three
// ways the suite restarts it:
//   reconnect()   the host closes its port and opens it again (the board keeps running);
//   powerCycle()  emulated: the process is killed like a power cut and relaunched on the same
//                 store (state file / pflash image); a real board gets a RESET frame instead,
//                 a fleet board the fleet's `reset`;
//   close()       ends the session (and the emulator).
// `client` is what every target offers (the board's commands: DeviceClient, or FleetDevice over
// MQTT); `serial` is the DeviceClient on this host's own link, for tests that need its frames.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeviceClient } from '../host/src/device/client.ts';
import type { RunningBoard } from '../host/src/boards/board.ts';
import type { TrainingEnd, TrainingHandlers } from '../host/src/device/training.ts';
import type { UploadOptions, UploadResult } from '../host/src/device/upload.ts';
import type { UploadCommitOk } from '../host/src/protocol/payloads.generated.ts';
import type { DeviceInfo } from '../host/src/protocol/info.ts';
import type { WireManifest } from '../host/src/security/manifest.ts';
import { BASE_MS } from './limits.ts';
import { FleetDevice } from '../host/src/fleet/fleet-device.ts';
import { connectFleet, type FleetSession } from './fleet-session.ts';
import { scaled, TARGET, type TargetSpec } from './target.ts';

/** The board commands every target offers: DeviceClient on a serial link, FleetDevice over MQTT. */
export interface HilDevice {
  readonly info: DeviceInfo;
  refreshInfo(): Promise<DeviceInfo>;
  status(): Promise<{ state: number }>;
  configure(config: Uint8Array, dataset: Uint8Array): Promise<void>;
  /** `start`: θ the run starts from, written after init (TRAIN_START's θ; the layerwise schedule). */
  train(steps: number, handlers: TrainingHandlers, opts?: { start?: ArrayLike<number> }): Promise<{ done: Promise<TrainingEnd> }>;
  stop(): Promise<void>;
  readParams(): Promise<Float64Array>;
  writeParams(theta: ArrayLike<number>): Promise<void>;
  /** CONFIRM: the active module's trial ends; then INFO again. */
  confirm(): Promise<DeviceInfo>;
  /** ROLLBACK: the previous module (the other slot) is active again; then INFO again. */
  rollback(): Promise<UploadCommitOk>;
}

/** What every target's upload takes: a signed manifest (null: explicitly none, an unsigned module) and CONFIRM
 *  right after the commit; the serial link also takes the chunk window, progress and a cut (stopAfter). */
export type HilUploadOptions = Omit<UploadOptions, 'manifest'> & { manifest?: WireManifest | null };

export interface HilUpload {
  committed: boolean;
  sha256: Uint8Array;
  activeSlot: number;
}

export class HilBoard {
  private emulator: RunningBoard | null = null;
  private current: DeviceClient | null = null;
  private fleet: FleetSession | null = null;
  private readonly scratch: string;

  private constructor(readonly spec: TargetSpec) {
    this.scratch = mkdtempSync(join(tmpdir(), `qiot-hil-${spec.name}-`));
  }

  /** Starts (emulated) or opens (serial) the board and handshakes. Emulated boards start
   *  with an empty store kept in a scratch directory, so every test file is independent. A fleet
   *  board is reached through the broker (persistentBroker: a session that outlives leaveBroker()). */
  static async start(spec: TargetSpec = TARGET, opts: { persistentBroker?: boolean } = {}): Promise<HilBoard> {
    const board = new HilBoard(spec);
    if (spec.fleetId) {
      board.fleet = await connectFleet(spec.fleetId, scaled(BASE_MS.connect), { persistent: opts.persistentBroker });
      return board;
    }
    try {
      await board.launch();
      await board.connect(true);
    } catch (err) {
      await board.close();
      throw err;
    }
    return board;
  }

  /** The board's commands, on every target. */
  get client(): HilDevice {
    return this.fleet?.device ?? this.serial;
  }

  /** The board on this host's own link (tests needing frames, link drops, PROVISION …; skipped on fleet targets by capability). */
  get serial(): DeviceClient {
    if (this.fleet) throw new Error(`${this.spec.name} is reached through its gateway: this test needs the board's own link`);
    if (!this.current) throw new Error('no connection to the board (a previous step failed to reconnect)');
    return this.current;
  }

  get port(): string {
    return this.fleet?.device.port ?? this.spec.path ?? this.emulator!.port;
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

  /** Uploads with the target's chunk window (limits.ts); a fleet board is flashed by its gateway (`flash`, then
   *  `confirm` if asked; without a manifest, FleetDevice signs for a provisioned board with $QIOT_KEY). */
  upload(module: Uint8Array, opts: HilUploadOptions = {}): Promise<HilUpload> {
    const { manifest, ...rest } = opts;
    if (!this.fleet) return this.uploadSerial(module, { ...rest, ...(manifest ? { manifest } : {}) });
    const { confirm, ...linkOnly } = rest;
    if (Object.keys(linkOnly).length > 0) throw new Error(`upload options ${Object.keys(linkOnly).join(', ')} need the board's own link`);
    return this.fleet.device.upload(module, { manifest, confirm });
  }

  /** The same board without the owner key: its changes go unauthenticated (a fleet board: a FleetDevice with no key). */
  async keyless(): Promise<{ upload(module: Uint8Array, opts?: { manifest?: WireManifest }): Promise<unknown> }> {
    if (!this.fleet) return { upload: (module, opts = {}) => this.uploadSerial(module, opts) };
    return FleetDevice.open(this.fleet.device.client, this.fleet.device.id);
  }

  /** An upload over this host's own link, with the target's chunk window. */
  uploadSerial(module: Uint8Array, opts: UploadOptions = {}): Promise<UploadResult> {
    return this.serial.upload(module, { window: this.spec.board.uploadWindow, ...opts });
  }

  /** Fleet targets on an MQTT 5 broker: it sends this host one message at a time (Receive Maximum 1, fleet-session.ts). */
  get brokerSendsOneAtATime(): boolean {
    return this.fleet?.mqtt5 ?? false;
  }

  /** Fleet targets: this host drops its broker connection for `ms` and comes back to its persistent session. */
  async leaveBroker(ms: number): Promise<void> {
    if (!this.fleet) throw new Error(`${this.spec.name} is not reached through a broker`);
    await this.fleet.leave(ms);
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
  async powerCycle(): Promise<HilDevice> {
    if (this.fleet) {
      await this.fleet.device.reset();
      return this.fleet.device;
    }
    if (this.spec.emulated) {
      await this.cutPower();
      return this.restart();
    }
    await this.serial.reset();
    return this.reconnect();
  }

  /** RESET (the board restarts, its store kept) and a new handshake: over the serial link, or the fleet's `reset`. */
  async reset(): Promise<HilDevice> {
    if (this.fleet) {
      await this.fleet.device.reset();
      return this.fleet.device;
    }
    await this.serial.reset();
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
    await this.fleet?.close();
    this.fleet = null;
    await this.current?.close().catch(() => undefined);
    this.current = null;
    await this.emulator?.stop();
    this.emulator = null;
    rmSync(this.scratch, { recursive: true, force: true });
  }
}
