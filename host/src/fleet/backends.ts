// The two executor backends: a board reached through DeviceClient (serial port,
// emulated posix/rv32 board) and a virtual board running the module in a pool thread.
import { createHash } from 'node:crypto';
import { BoardTarget, maxStartParams } from '../device/board-target.ts';
import type { DeviceClient } from '../device/client.ts';
import { NO_SLOT } from '../protocol/constants.ts';
import type { ModuleImage } from '../train/module-target.ts';
import { QiotModule } from '../wasm/module.ts';
import { ABI_VERSION } from '../wasm/abi.ts';
import type { BackendIdentity, ExecutorBackend } from './executor.ts';
import { sharedImage, ThreadTarget, type RunPool } from './thread-target.ts';
import type { TaskRunner } from './task-threads.ts';
import { decodeSignedBegin, type WireManifest } from '../security/manifest.ts';
import { RelaySealer } from './auth.ts';
import { PayloadError } from './messages.ts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

export class BoardBackend implements ExecutorBackend {
  readonly kind = 'board';
  /** A provisioned board's frames carry the trailers its commands brought (the gateway holds no key). */
  private readonly relay: RelaySealer | null;

  constructor(readonly client: DeviceClient) {
    this.relay = client.info.security?.provisioned ? new RelaySealer() : null;
    if (this.relay) client.link.setSealer(this.relay);
  }

  authorize(auth: string): void {
    this.relay?.offer(auth);
  }

  identity(): BackendIdentity {
    const info = this.client.info;
    return {
      target: { kind: 'board', board: info.boardName, firmware_version: info.firmwareVersion, port: this.client.port },
      moduleSha256: info.activeSlot === NO_SLOT ? null : hex(info.moduleSha256),
      abiVersion: info.activeSlot === NO_SLOT ? null : info.abiVersion,
      provisioned: this.relay !== null,
      maxStartParams: maxStartParams(this.client.link.requestOverhead),
    };
  }

  /** INFO read from the board now (HELLO is answered while training too): the cached one would miss e.g. a trial
   *  ended by training, and its nonce and last counter are what a client's authentication must cover. */
  async info(): Promise<Record<string, unknown>> {
    const { moduleSha256, security, ...rest } = await this.client.refreshInfo();
    return {
      board: { ...rest, moduleSha256: hex(moduleSha256), ...(security ? { security: { ...security, nonce: hex(security.nonce) } } : {}) },
    };
  }

  async flash(module: Uint8Array, manifest?: Uint8Array): Promise<{ sha256: string; committed: boolean }> {
    let signed: WireManifest | undefined;
    try {
      signed = manifest && decodeSignedBegin(manifest);
    } catch (err) {
      throw new PayloadError(`flash: ${(err as Error).message}`);
    }
    const result = await this.client.upload(module, { manifest: signed });
    return { sha256: createHash('sha256').update(module).digest('hex'), committed: result.committed };
  }

  async readParams(): Promise<number[]> {
    return [...(await this.client.readParams())];
  }

  async writeParams(theta: number[]): Promise<void> {
    await this.client.writeParams(theta);
  }

  /** RESET then a new handshake (the posix board keeps its pseudo-terminal; a serial board re-enumerates on the same port). */
  async reset(): Promise<void> {
    await this.client.reset();
    await this.client.refreshInfo();
  }

  async rollback(): Promise<Record<string, unknown>> {
    const result = await this.client.rollback();
    return { active_slot: result.activeSlot, sha256: hex(result.sha256) };
  }

  async confirm(): Promise<Record<string, unknown>> {
    const info = await this.client.confirm();
    return { sha256: hex(info.moduleSha256), pending: info.boot?.pending ?? false };
  }

  target(): BoardTarget {
    // Pause mode on every board, provisioned or not: TELEMETRY_ACK is open (docs/security.md), so the
    // gateway acknowledges what it relays and the run is lossless (and plannedFrames seals that TRAIN_START).
    return new BoardTarget(this.client);
  }

  onLog(listener: (line: string) => void): () => void {
    return this.client.onLog((log) => listener(log.text));
  }
}

/** A virtual board: the module in a thread of `pool`; `flash` replaces the module it runs; `tasks` runs pool units (the `task` op). */
export class ThreadBackend implements ExecutorBackend {
  readonly kind = 'worker';
  private image: ModuleImage;
  constructor(
    private readonly pool: RunPool,
    image: ModuleImage,
    readonly tasks?: TaskRunner,
  ) {
    this.image = sharedImage(image);
  }

  identity(): BackendIdentity {
    return { target: { kind: 'node' }, moduleSha256: this.image.sha256, abiVersion: ABI_VERSION };
  }

  async info(): Promise<Record<string, unknown>> {
    return { threads: this.pool.size, module_bytes: this.image.bytes.length };
  }

  async flash(module: Uint8Array): Promise<{ sha256: string; committed: boolean }> {
    QiotModule.fromBytes(module); // refuses a module this host cannot instantiate, before it replaces the current one
    const sha256 = createHash('sha256').update(module).digest('hex');
    this.image = sharedImage({ path: `flashed:${sha256.slice(0, 12)}`, bytes: module, sha256 });
    return { sha256, committed: true };
  }

  target(opts: { trace?: boolean } = {}): ThreadTarget {
    return new ThreadTarget(this.pool, this.image, opts.trace);
  }
}
