// The gateway's boards: each attached board (an emulator it launches, or a
// serial port) becomes an executor while its link is up. A board that vanishes
// goes offline on the broker and is attached again when it answers again; an
// emulator that died is launched again (with the same --state file, if any).
import { createHash } from 'node:crypto';
import { QiotError } from '../errors.ts';
import { join } from 'node:path';
import { DeviceClient } from '../device/client.ts';
import type { RunningBoard } from '../boards/board.ts';
import { boardNamed, emulatedBoards } from '../boards/registry.ts';
import { BoardBackend } from './backends.ts';
import type { BrokerSettings } from './broker.ts';
import { Executor } from './executor.ts';
import { FLEET } from './limits.ts';

export type BoardSpec = { kind: 'emulator'; emulator: string; index: number } | { kind: 'port'; path: string };

export class GatewayUsageError extends QiotError {
  constructor(message: string) {
    super(message, 'invalid');
  }
}

/** "posix:4" → four posix boards; "rv32" → one; anything else is a port path. */
export function parseBoardSpecs(specs: readonly string[]): BoardSpec[] {
  const out: BoardSpec[] = [];
  for (const spec of specs) {
    const m = /^([a-z0-9]+)(?::(\d+))?$/.exec(spec);
    if (m && !spec.startsWith('/')) {
      const emulator = m[1];
      if (!boardNamed(emulator)?.launch)
        throw new GatewayUsageError(
          `--board ${spec}: unknown board '${emulator}'; choose ${emulatedBoards()
            .map((b) => b.name)
            .join(', ')}, or give a serial port path`,
        );
      const n = m[2] === undefined ? 1 : Number(m[2]);
      if (n < 1 || n > FLEET.maxBoardsPerSpec)
        throw new GatewayUsageError(`--board ${spec}: between 1 and ${FLEET.maxBoardsPerSpec} boards`);
      const already = out.filter((b) => b.kind === 'emulator' && b.emulator === emulator).length;
      for (let i = 0; i < n; i++) out.push({ kind: 'emulator', emulator, index: already + i });
    } else {
      out.push({ kind: 'port', path: spec });
    }
  }
  return out;
}

export function boardId(prefix: string, spec: BoardSpec): string {
  return spec.kind === 'emulator'
    ? `${prefix}-${spec.emulator}-${spec.index}`
    : `${prefix}-${spec.path.replace(/^\/dev\//, '').replace(/[^A-Za-z0-9._:-]/g, '-')}`;
}

export interface GatewayOptions {
  settings: BrokerSettings;
  idPrefix: string;
  tags: string[];
  /** Flashed onto each board whose active module differs. */
  module?: Uint8Array;
  /** Emulated boards keep their module store in <stateDir>/<id>.state. */
  stateDir?: string;
  note(text: string): void;
}

/** Keeps one board attached until stop(); resolves once it is detached for good. */
export class AttachedBoard {
  private stopped = false;
  private executor: Executor | null = null;
  private emulator: { board: RunningBoard; exited: boolean } | null = null;
  private wake: (() => void) | null = null;
  readonly done: Promise<void>;

  constructor(
    readonly id: string,
    private readonly spec: BoardSpec,
    private readonly opts: GatewayOptions,
  ) {
    this.done = this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.done;
  }

  private async loop(): Promise<void> {
    let attempt = 0;
    while (!this.stopped) {
      let client: DeviceClient | null = null;
      try {
        client = await DeviceClient.open(await this.port());
        // A provisioned board takes only modules signed and uploads sealed by a key holder; the gateway holds no key.
        if (this.opts.module && client.info.security?.provisioned) {
          if (attempt === 0)
            this.opts.note(`${this.id}: provisioned, so --module is not flashed here (qiot fleet flash --key from a key holder)`);
        } else if (this.opts.module) await this.flashIfDifferent(client, this.opts.module);
        this.executor = await Executor.start(this.opts.settings, new BoardBackend(client), {
          id: this.id,
          tags: [...this.opts.tags, this.spec.kind === 'emulator' ? this.spec.emulator : 'serial'],
        });
        if (attempt > 0) this.opts.note(`${this.id}: back online`);
        attempt = 0;
        const lost = new Promise<string>((resolve) => {
          client!.link.onLost((err) => resolve(err.message));
          this.wake = () => resolve('gateway stopping');
        });
        const reason = await lost;
        if (!this.stopped) this.opts.note(`${this.id}: offline (${reason})`);
        await this.executor.close(this.stopped ? 'gateway stopped' : 'board link lost');
      } catch (err) {
        if (attempt === 0 && !this.stopped)
          this.opts.note(`${this.id}: ${(err as Error).message}; retrying every ${FLEET.reattachMs / 1000} s`);
      } finally {
        this.executor = null;
        await client?.close().catch(() => undefined);
      }
      attempt++;
      if (this.stopped) break;
      await new Promise<void>((r) => {
        this.wake = r;
        setTimeout(r, FLEET.reattachMs);
      });
    }
    await this.emulator?.board.stop();
  }

  /** The port to open: a launched emulator's (launched again if it exited), or the given path. */
  private async port(): Promise<string> {
    if (this.spec.kind === 'port') return this.spec.path;
    if (this.emulator && !this.emulator.exited) return this.emulator.board.port;
    const state = this.opts.stateDir ? join(this.opts.stateDir, `${this.id}.state`) : undefined;
    const launched = { board: await boardNamed(this.spec.emulator)!.launch!({ state }), exited: false };
    void launched.board.exited.then(() => (launched.exited = true));
    this.emulator = launched;
    return launched.board.port;
  }

  private async flashIfDifferent(client: DeviceClient, module: Uint8Array): Promise<void> {
    const want = createHash('sha256').update(module).digest('hex');
    if (Buffer.from(client.info.moduleSha256).toString('hex') === want) return;
    const result = await client.upload(module);
    if (!result.committed) throw new Error(`flashing the module onto ${this.id} did not commit`);
    this.opts.note(`${this.id}: flashed module ${want.slice(0, 12)}`);
  }
}
