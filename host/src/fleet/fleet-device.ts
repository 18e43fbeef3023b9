// FleetDevice: one board of a gateway, driven over MQTT through FleetClient with the
// shape of DeviceClient's board operations (INFO, flash, CONFIG+TRAIN with live
// telemetry, STOP, PARAMS_READ/WRITE, RESET), so code written against a board —
// the HIL suite (hil-tests/) — runs unchanged on a board behind a gateway; CONFIRM and
// ROLLBACK through the fleet's `confirm`/`rollback` ops. Telemetry
// is delivered in sequence order as it arrives (QoS 1 duplicates dropped); records
// still missing once the run's `done` and FLEET.telemetryGraceMs have passed are
// reported as gaps, never skipped silently. With the board's key (open(…, {key})), a provisioned
// board gets signed modules and authenticated commands, sealed here (fleet/auth.ts): the key
// never leaves this process.
import { BoardState, DoneStatus } from '../protocol/constants.ts';
import type { DeviceInfo } from '../protocol/info.ts';
import type { TelemetryMessage as TelemetryFrame, UploadCommitOk } from '../protocol/payloads.generated.ts';
import type { TrainingEnd, TrainingHandlers } from '../device/training.ts';
import { sha256 } from '../device/upload.ts';
import type { SigningKey } from '../security/keys.ts';
import { signedBeginPayload, signManifest, type WireManifest } from '../security/manifest.ts';
import { type AuthenticatedOp, CommandSealer } from './auth.ts';
import { RemoteError, type FleetClient } from './client.ts';
import { FLEET } from './limits.ts';
import { toBase64, type SummaryBody, type TelemetryMessage } from './messages.ts';
import { sealTrain, sendTrain } from './train-command.ts';

const DONE_CODES: Record<SummaryBody['status'], number> = {
  completed: DoneStatus.COMPLETED,
  stopped: DoneStatus.STOPPED,
  budget_exhausted: DoneStatus.BUDGET_EXHAUSTED,
  numeric: DoneStatus.NUMERIC,
  trap: DoneStatus.TRAP,
};

/** Bytes as the gateway's JSON carries them: hex text, or a Uint8Array serialised as an array or an index-keyed object. */
function bytesOf(value: unknown): Uint8Array {
  if (typeof value === 'string') return new Uint8Array(Buffer.from(value, 'hex'));
  if (Array.isArray(value)) return Uint8Array.from(value as number[]);
  if (value && typeof value === 'object') return Uint8Array.from(Object.values(value as Record<string, number>));
  return new Uint8Array(0);
}

/** The board's INFO from an `info` reply (docs/fleet.md): its byte fields back to bytes. */
export function deviceInfoOf(executor: string, result: Record<string, unknown>): DeviceInfo {
  const board = result.board as (Record<string, unknown> & Partial<DeviceInfo>) | undefined;
  if (!board || typeof board.protocolVersion !== 'number')
    throw new RemoteError(executor, { kind: 'invalid', message: `${executor} is a ${String(result.kind)}, not a board: no INFO to show` });
  const info = { ...board, moduleSha256: bytesOf(board.moduleSha256) } as DeviceInfo;
  if (info.security) info.security = { ...info.security, nonce: bytesOf(info.security.nonce) };
  if (info.boot?.previous) info.boot = { ...info.boot, previous: { ...info.boot.previous, sha256: bytesOf(info.boot.previous.sha256) } };
  return info;
}

export interface FleetRun {
  /** Settles once DONE arrived and every record it announces was delivered (or reported as a gap). */
  done: Promise<TrainingEnd>;
}

export class FleetDevice {
  private pending: { config: Uint8Array; dataset: Uint8Array } | null = null;

  private constructor(
    readonly client: FleetClient,
    readonly id: string,
    public info: DeviceInfo,
    private readonly graceMs: number,
    private readonly key: SigningKey | null,
  ) {
    this.sealer = key ? new CommandSealer(client, key) : null;
  }

  private readonly sealer: CommandSealer | null;

  /** Asks the executor `id` for its INFO (it must be a board); the client must watch telemetry to train.
   *  graceMs: how long records may lag behind the run's `done` (default FLEET.telemetryGraceMs);
   *  key: the board's owner key, for a provisioned board (signs modules, authenticates commands). */
  static async open(client: FleetClient, id: string, opts: { graceMs?: number; key?: SigningKey } = {}): Promise<FleetDevice> {
    const device = new FleetDevice(
      client,
      id,
      undefined as unknown as DeviceInfo,
      opts.graceMs ?? FLEET.telemetryGraceMs,
      opts.key ?? null,
    );
    await device.refreshInfo();
    return device;
  }

  get port(): string {
    return `mqtt ${this.id}`;
  }

  async refreshInfo(): Promise<DeviceInfo> {
    this.info = deviceInfoOf(this.id, await this.client.call(this.id, 'info', {}));
    return this.info;
  }

  /** Whether the executor runs a job (its board is training); the board's own STATE is not sent over MQTT. */
  async status(): Promise<{ state: number }> {
    const r = await this.client.call(this.id, 'info', {});
    return { state: r.busy ? BoardState.TRAINING : BoardState.IDLE };
  }

  /** `auth` for a command to a provisioned board (read its nonce through the gateway, seal here); undefined without a key or for an open board. */
  private auth(op: AuthenticatedOp, args: Parameters<CommandSealer['auth']>[2]): Promise<string | undefined> {
    return this.sealer ? this.sealer.auth(this.id, op, args) : Promise.resolve(undefined);
  }

  /** `flash` (upload + commit by the gateway), then INFO again. A provisioned board gets the module signed
   *  with the key for its name and ABI at its anti-rollback floor, and the upload authenticated.
   *  manifest: send this signed manifest instead (null: none, an unsigned module); confirm: `confirm` right
   *  after the commit (no trial: a reset keeps the module), as DeviceClient.upload's option. */
  async upload(
    module: Uint8Array,
    opts: { manifest?: WireManifest | null; confirm?: boolean } = {},
  ): Promise<{ committed: boolean; sha256: Uint8Array; activeSlot: number }> {
    const board = this.sealer ? await this.sealer.board(this.id) : null;
    const floor = board?.security?.provisioned ? board.security.floor : null;
    const manifest =
      opts.manifest !== undefined
        ? opts.manifest
        : this.key && board && floor !== null
          ? signManifest(this.key, {
              size: module.length,
              sha256: sha256(module),
              version: 0,
              counter: floor,
              abi: board.abiVersion,
              target: board.boardName,
            })
          : null;
    const args = { module: toBase64(module), ...(manifest ? { manifest: toBase64(signedBeginPayload(manifest)) } : {}) };
    const auth = this.sealer && board ? await this.sealer.auth(this.id, 'flash', args, board) : undefined;
    const r = await this.client.call(this.id, 'flash', args, FLEET.flashTimeoutMs, auth);
    if (opts.confirm && r.committed === true) await this.confirm();
    else await this.refreshInfo();
    return { committed: r.committed === true, sha256: bytesOf(r.sha256), activeSlot: this.info.activeSlot };
  }

  /** `confirm` (CONFIRM): ends the active module's trial, so a reset no longer reverts it; then INFO again. */
  async confirm(): Promise<DeviceInfo> {
    await this.client.call(this.id, 'confirm', {}, undefined, await this.auth('confirm', {}));
    return this.refreshInfo();
  }

  /** `rollback` (ROLLBACK): the previous module (the other slot) is active again; then INFO again. */
  async rollback(): Promise<UploadCommitOk> {
    const r = await this.client.call(this.id, 'rollback', {}, undefined, await this.auth('rollback', {}));
    await this.refreshInfo();
    return { activeSlot: Number(r.active_slot), sha256: bytesOf(r.sha256) };
  }

  /** Kept for the next train(): the fleet's `train` carries CONFIG and DATASET (docs/fleet.md). */
  async configure(config: Uint8Array, dataset: Uint8Array): Promise<void> {
    this.pending = { config, dataset };
  }

  /** Starts the configured run; resolves once the board accepted it. `start`: θ it starts from (TRAIN_START's θ). */
  async train(steps: number, handlers: TrainingHandlers, opts: { start?: ArrayLike<number> } = {}): Promise<FleetRun> {
    const pending = this.pending;
    if (!pending) throw new Error('FleetDevice: train() before configure()');
    const train = await sealTrain(this.id, { ...pending, steps, start: opts.start }, this.sealer);
    const held = new Map<number, TelemetryMessage>();
    let next: number | null = null;
    let firstSeen: number | null = null;
    const deliver = () => {
      for (let t = next === null ? undefined : held.get(next); t; t = held.get(next!)) {
        held.delete(next!);
        handlers.onTelemetry(frameOf(t));
        next!++;
      }
    };
    return new Promise<FleetRun>((started, refused) => {
      let finish!: (end: TrainingEnd) => void;
      let fail!: (err: unknown) => void;
      const done = new Promise<TrainingEnd>((resolve, reject) => {
        finish = resolve;
        fail = reject;
      });
      const command = sendTrain(this.client, this.id, train, {
        onRecord: (t) => {
          if (next !== null && t.seq < next) return;
          if (next === null) next = firstSeen = t.seq; // records of one executor arrive in order on their topic; `done` checks the first
          held.set(t.seq, t);
          deliver();
        },
        onStarted: () => started({ done }),
        onRefused: (error) => {
          const err = new RemoteError(this.id, error);
          refused(err);
          fail(err);
        },
        onDone: (body) => {
          const first = body.first_seq ?? 0;
          if (firstSeen !== null && body.records > 0 && firstSeen < first) {
            return fail(new Error(`${this.id}: records before sequence ${first} were delivered as this run's`));
          }
          // The first records never came (the others were delivered from the first that did).
          const leading: Array<[number, number]> = firstSeen !== null && firstSeen > first ? [[first, firstSeen]] : [];
          next ??= first;
          const end = first + body.records;
          void this.waitFor(end, () => next).then(() => {
            // What is still missing now is lost: reported as gaps, the records after them still delivered.
            const gaps = [...leading];
            const from = next!;
            next = end; // late duplicates are ignored from now on
            for (let at = from; at < end; at++) {
              const t = held.get(at);
              if (t) handlers.onTelemetry(frameOf(t));
              else if (gaps.at(-1)?.[1] === at) gaps.at(-1)![1]++;
              else gaps.push([at, at + 1]);
            }
            for (const [from, to] of gaps) handlers.onGap?.(from, to);
            finish(trainingEnd(body));
          }, fail);
        },
        onLost: (err) => {
          refused(err);
          fail(err);
        },
      });
      done.catch(() => undefined).finally(command.end);
    });
  }

  /** Waits until every record below `end` was delivered, for at most graceMs. */
  private async waitFor(end: number, next: () => number | null): Promise<void> {
    const deadline = Date.now() + this.graceMs;
    while ((next() ?? end) < end && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }

  async stop(): Promise<void> {
    await this.client.call(this.id, 'stop', {}, undefined, await this.auth('stop', {}));
  }

  async readParams(): Promise<Float64Array> {
    return Float64Array.from((await this.client.call(this.id, 'params_get', {})).params as number[]);
  }

  async writeParams(theta: ArrayLike<number>): Promise<void> {
    const args = { params: Array.from(theta) };
    await this.client.call(this.id, 'params_set', args, undefined, await this.auth('params_set', args));
  }

  /** RESET by the gateway (the board restarts with its module; the gateway handshakes again), then INFO. */
  async reset(): Promise<void> {
    await this.client.call(this.id, 'reset', {}, FLEET.resetTimeoutMs, await this.auth('reset', {}));
    await this.refreshInfo();
  }
}

const frameOf = (t: TelemetryMessage): TelemetryFrame => ({ tseq: t.seq, stepUs: t.stepUs ?? 0, record: t.raw });

function trainingEnd(body: SummaryBody): TrainingEnd {
  return {
    status: DONE_CODES[body.status],
    steps: body.records,
    shotsTotal: BigInt(body.shots_total),
    trainLoss: body.train_loss ?? NaN,
    testLoss: body.test_loss ?? NaN,
    testAccuracy: body.test_accuracy ?? NaN,
    errors: body.error ? [body.error] : [],
  };
}
