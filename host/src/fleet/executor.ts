// An executor: one board or one virtual board on its own MQTT connection
// (docs/fleet.md). It publishes its retained status (last will: offline),
// answers commands on qiot/v1/<id>/cmd, runs one training job at a time and
// streams its telemetry with a sequence number. A backend supplies the board
// side (backends.ts: a serial/emulated board, or the module in a worker thread).
import { hostname } from 'node:os';
import type { IPublishPacket, MqttClient } from 'mqtt';
import type { RunTarget } from '../runlog/schema.ts';
import { StartParamsUnsupportedError } from '../train/segmented-run.ts';
import type { TrainingTarget } from '../train/target.ts';
import { connectBroker, type BrokerSettings } from './broker.ts';
import { FLEET } from './limits.ts';
import { BusyError, errorBody, isUnknownOp, safeJson, summaryBody, UnknownOpError, UnsupportedError } from './executor-replies.ts';
import {
  decodeRequest,
  encodeJson,
  fromBase64,
  PayloadError,
  type OnlineStatus,
  type RemoteErrorBody,
  type Reply,
  type Request,
  type SummaryBody,
} from './messages.ts';
import { decodeTaskValue, encodeTaskValue } from './task-value.ts';
import { TelemetryOutbox } from './telemetry-outbox.ts';
import type { TaskRunner } from './task-threads.ts';
import { topics } from './topics.ts';
import { QIOT_VERSION } from '../version.ts';

export interface BackendIdentity {
  target: RunTarget;
  moduleSha256: string | null;
  abiVersion: number | null;
  /** A provisioned board: commands to it must carry `auth` (fleet/auth.ts). */
  provisioned?: boolean;
  /** The most θ values a run may start from (a board's TRAIN_START frame); absent: no limit but the module's. */
  maxStartParams?: number;
}

/** The board side of an executor. */
export interface ExecutorBackend {
  readonly kind: 'board' | 'worker';
  identity(): BackendIdentity;
  /** Details for `info` (e.g. the board's INFO). */
  info(): Promise<Record<string, unknown>>;
  /** manifest: the signed UPLOAD_BEGIN payload, for a provisioned board to check (a worker ignores it). */
  flash(module: Uint8Array, manifest?: Uint8Array): Promise<{ sha256: string; committed: boolean }>;
  /** A command's `auth` (fleet/auth.ts) for the board frames it causes; absent where nothing checks it. */
  authorize?(auth: string): void;
  /** A fresh training target for one run; `trace` (workers only) keeps θ₀ and θ after every step for the summary. */
  target(opts?: { trace?: boolean }): TrainingTarget;
  /** θ as the last run left it (PARAMS_READ); absent on executors without a board. */
  readParams?(): Promise<number[]>;
  /** PARAMS_WRITE while idle. */
  writeParams?(theta: number[]): Promise<void>;
  /** RESET: the board restarts (its module stays) and is connected again. */
  reset?(): Promise<void>;
  /** ROLLBACK / CONFIRM (docs/reliability.md "Trial boot"): the previous module again, or the trial ended. */
  rollback?(): Promise<Record<string, unknown>>;
  confirm?(): Promise<Record<string, unknown>>;
  /** Text log lines of the board, if it has any. */
  onLog?(listener: (line: string) => void): () => void;
  /** Units of experiments' pools (the `task` op) in worker threads; absent: this executor runs none (a board). */
  readonly tasks?: TaskRunner;
}

type TrainRequest = Extract<Request, { op: 'train' }>;
type TaskRequest = Extract<Request, { op: 'task' }>;

interface ReplyAddress {
  topic: string;
  correlationData?: Buffer;
}

export interface ExecutorOptions {
  id: string;
  tags?: string[];
  /** Telemetry records kept while the broker is away (default FLEET.maxQueuedTelemetry; tests use a small one). */
  maxQueuedTelemetry?: number;
}

export class Executor {
  private client!: MqttClient;
  /** The run or task in progress; `stop` ends a run after its current step (a task runs to its end). */
  private busy: { corr: string; stop(): void } | null = null;
  /** A train or task with `queue` that arrived while busy: started as soon as the one in progress ends. */
  private next: { req: TrainRequest | TaskRequest; to: ReplyAddress } | null = null;
  private closed = false;
  private unlog: (() => void) | null = null;
  private readonly telemetry: TelemetryOutbox;
  /** `queued` as the last status said: a backlog that drained is announced again. */
  private announcedQueued = 0;

  private constructor(
    readonly id: string,
    private readonly backend: ExecutorBackend,
    private readonly tags: string[],
    maxQueued: number,
  ) {
    this.telemetry = new TelemetryOutbox(
      (payload, delivered) => this.client.publish(topics.telemetry(this.id), payload, { qos: FLEET.qos }, delivered),
      maxQueued,
      () => {
        if (this.announcedQueued > 0) this.publishStatus();
      },
    );
  }

  static async start(settings: BrokerSettings, backend: ExecutorBackend, opts: ExecutorOptions): Promise<Executor> {
    const ex = new Executor(opts.id, backend, opts.tags ?? [], opts.maxQueuedTelemetry ?? FLEET.maxQueuedTelemetry);
    const offline = encodeJson({ v: FLEET.payloadVersion, id: opts.id, state: 'offline', reason: 'connection lost' });
    ex.client = await connectBroker(settings, {
      clientId: opts.id,
      persistent: true,
      will: { topic: topics.status(opts.id), payload: offline },
    });
    ex.client.on('message', (topic, payload, packet) => {
      if (topic === topics.cmd(opts.id)) void ex.onCommand(payload, packet.properties);
      else if (payload.includes('"offline"')) ex.publishStatus(); // our own will, replayed by a restarted broker: we are here
    });
    ex.client.on('connect', () => ex.publishStatus()); // after a broker restart: the retained status may be gone
    await ex.client.subscribeAsync([topics.cmd(opts.id), topics.status(opts.id)], { qos: FLEET.qos });
    ex.unlog = backend.onLog?.((line) => ex.client.publish(topics.log(opts.id), line, { qos: 0 })) ?? null;
    ex.publishStatus();
    return ex;
  }

  /** Whether the MQTT connection is up now (MQTT.js reconnects on its own). */
  get connected(): boolean {
    return this.client.connected;
  }

  /** Publishes the current status (retained). */
  publishStatus(): void {
    if (this.closed) return;
    const identity = this.backend.identity();
    const status: OnlineStatus = {
      v: FLEET.payloadVersion,
      id: this.id,
      state: 'online',
      kind: this.backend.kind,
      target: identity.target,
      module_sha256: identity.moduleSha256,
      abi_version: identity.abiVersion,
      host: hostname(),
      tags: this.tags,
      busy: this.busy?.corr ?? null,
      next: this.next?.req.corr ?? null,
      ...(identity.provisioned ? { provisioned: true } : {}),
      ...(identity.maxStartParams !== undefined ? { max_start_params: identity.maxStartParams } : {}),
      queued: this.telemetry.queued,
      dropped: this.telemetry.dropped,
      ...(this.backend.tasks ? { tasks: { kinds: [...this.backend.tasks.kinds], qiot_version: QIOT_VERSION } } : {}),
    };
    this.announcedQueued = this.telemetry.queued;
    this.client.publish(topics.status(this.id), encodeJson(status), { qos: FLEET.qos, retain: true });
  }

  /** Goes offline on purpose (retained offline status, then disconnect); a run in progress is stopped. */
  async close(reason = 'stopped'): Promise<void> {
    if (this.closed) return;
    this.closed = true; // before the offline status: its echo must not be answered with "online"
    this.busy?.stop();
    this.unlog?.();
    const offline = this.client.publishAsync(
      topics.status(this.id),
      encodeJson({ v: FLEET.payloadVersion, id: this.id, state: 'offline', reason }),
      { qos: FLEET.qos, retain: true },
    );
    // A broker that is gone never acknowledges it: close anyway (its will says offline when it sees us gone).
    const acknowledged = await settlesWithin(offline, FLEET.closeGraceMs);
    await this.client.endAsync(!acknowledged);
  }

  private reply(to: ReplyAddress, reply: Reply): void {
    const properties = to.correlationData ? { properties: { correlationData: to.correlationData } } : {};
    this.client.publish(to.topic, encodeJson(reply), { qos: FLEET.qos, ...properties });
  }

  /** MQTT 5 Response Topic / Correlation Data when the command has them, else the payload's `reply` / `corr`. */
  private async onCommand(payload: Buffer, properties?: IPublishPacket['properties']): Promise<void> {
    const address = (reply: string): ReplyAddress => ({
      topic: properties?.responseTopic ?? reply,
      ...(properties?.correlationData ? { correlationData: properties.correlationData } : {}),
    });
    let req: Request;
    try {
      req = decodeRequest(payload);
    } catch (err) {
      // Without a valid reply topic there is no one to tell; say it in the log.
      const text = err instanceof PayloadError ? err.message : String(err);
      this.client.publish(topics.log(this.id), `ignored a command: ${text}`, { qos: 0 });
      const partial = safeJson(payload);
      if (partial && typeof partial.reply === 'string' && typeof partial.corr === 'string') {
        this.reply(address(partial.reply), {
          v: FLEET.payloadVersion,
          corr: partial.corr,
          stage: 'error',
          error: { kind: isUnknownOp(partial) ? 'unknown_op' : 'invalid', message: text },
        });
      }
      return;
    }
    const to = address(req.reply);
    const fail = (error: RemoteErrorBody) => this.reply(to, { v: FLEET.payloadVersion, corr: req.corr, stage: 'error', error });
    try {
      if (req.auth !== undefined) this.backend.authorize?.(req.auth);
      switch (req.op) {
        case 'info':
          return this.reply(to, {
            v: FLEET.payloadVersion,
            corr: req.corr,
            stage: 'ok',
            result: { ...this.statusFields(), ...(await this.backend.info()) },
          });
        case 'stop':
          this.busy?.stop();
          return this.reply(to, {
            v: FLEET.payloadVersion,
            corr: req.corr,
            stage: 'ok',
            result: { stopping: this.busy?.corr ?? null },
          });
        case 'flash': {
          if (this.busy) return fail({ kind: 'busy', message: `${this.id} is running ${this.busy.corr}` });
          const { module, manifest } = req.args;
          const result = await this.backend.flash(fromBase64(module), manifest === undefined ? undefined : fromBase64(manifest));
          this.publishStatus();
          return this.reply(to, { v: FLEET.payloadVersion, corr: req.corr, stage: 'ok', result });
        }
        case 'train':
          return await this.train(req, to);
        case 'task':
          return await this.task(req, to);
        case 'params_get':
        case 'params_set':
        case 'reset':
        case 'rollback':
        case 'confirm':
          return this.reply(to, { v: FLEET.payloadVersion, corr: req.corr, stage: 'ok', result: await this.boardOp(req) });
      }
    } catch (err) {
      fail(errorBody(err));
    }
  }

  /** The board-only operations, executed on the board through its DeviceClient; the board's refusals keep their codes. */
  private async boardOp(
    req: Extract<Request, { op: 'params_get' | 'params_set' | 'reset' | 'rollback' | 'confirm' }>,
  ): Promise<Record<string, unknown>> {
    const b = this.backend;
    if (!b.readParams || !b.writeParams || !b.reset || !b.rollback || !b.confirm)
      throw new UnsupportedError(`${this.id} is a ${b.kind}: '${req.op}' needs a board (each run's θ is in its run log's summary)`);
    if (this.busy) throw new BusyError(`${this.id} is running ${this.busy.corr}`);
    switch (req.op) {
      case 'params_get': {
        const params = await b.readParams();
        return { count: params.length, params };
      }
      case 'params_set':
        await b.writeParams(req.args.params);
        return { count: req.args.params.length };
      case 'reset':
        await b.reset();
        this.publishStatus();
        return { reset: true };
      case 'rollback':
      case 'confirm': {
        const result = await (req.op === 'rollback' ? b.rollback() : b.confirm());
        this.publishStatus();
        return result;
      }
    }
  }

  private statusFields() {
    const identity = this.backend.identity();
    return {
      id: this.id,
      kind: this.backend.kind,
      target: identity.target,
      module_sha256: identity.moduleSha256,
      abi_version: identity.abiVersion,
      busy: this.busy?.corr ?? null,
    };
  }

  /** While busy: a command with `queue` is kept (at most one, answered `queued`), any other refused as busy. */
  private keptOrRefused(req: TrainRequest | TaskRequest, to: ReplyAddress): boolean {
    if (!this.busy) return false;
    if (req.args.queue && !this.next && !this.closed) {
      this.next = { req, to };
      this.reply(to, { v: FLEET.payloadVersion, corr: req.corr, stage: 'queued' });
      this.publishStatus();
      return true;
    }
    throw new BusyError(`${this.id} is running ${this.busy.corr}${this.next ? ` and keeps ${this.next.req.corr}` : ''}`);
  }

  /** The run or task in progress ended: the kept one starts in this same turn (its status says busy), so nothing else slips in between. */
  private release(): void {
    this.busy = null;
    const next = this.next;
    this.next = null;
    if (next && !this.closed) void this.startKept(next.req, next.to);
    else this.publishStatus();
  }

  private async train(req: TrainRequest, to: ReplyAddress): Promise<void> {
    if (req.args.trace && this.backend.kind !== 'worker')
      throw new UnsupportedError(
        `${this.id} is a ${this.backend.kind}: 'trace' needs a worker (a board reports no θ between the steps of a run)`,
      );
    if (this.keptOrRefused(req, to)) return;
    const target = this.backend.target({ trace: req.args.trace === true });
    this.busy = { corr: req.corr, stop: () => target.stop() };
    this.publishStatus();
    try {
      const identity = await target.identity();
      await target.configure(fromBase64(req.args.config), fromBase64(req.args.dataset));
      if (req.args.start) {
        if (!target.setStartParams) throw new StartParamsUnsupportedError(this.id);
        await target.setStartParams(req.args.start);
      }
      this.reply(to, { v: FLEET.payloadVersion, corr: req.corr, stage: 'ok', result: { identity } });
      let first: number | null = null;
      let records = 0;
      const droppedBefore = this.telemetry.dropped;
      const summary = await target.train(req.args.steps, (t) => {
        const seq = this.telemetry.add(req.args.tag, t.stepUs, t.raw);
        first ??= seq;
        records++;
      });
      this.telemetry.flush(); // a batch never spans two runs, and its records leave before `done`
      const result: SummaryBody = {
        ...summaryBody(summary),
        first_seq: first,
        records,
        dropped: this.telemetry.dropped - droppedBefore,
      };
      this.reply(to, { v: FLEET.payloadVersion, corr: req.corr, stage: 'done', result });
    } finally {
      this.telemetry.flush();
      this.release();
    }
  }

  /** One unit of an experiment's pool in a worker thread: `ok` when it starts, `done` with the handler's result. */
  private async task(req: TaskRequest, to: ReplyAddress): Promise<void> {
    const runner = this.backend.tasks;
    const { kind } = req.args;
    if (!runner)
      throw new UnsupportedError(`${this.id} is a ${this.backend.kind}: task '${kind}' runs qiot's host code, which only workers run`);
    if (!runner.kinds.includes(kind))
      throw new UnknownOpError(`${this.id} runs no task of kind '${kind}' (its kinds: ${runner.kinds.join(', ') || 'none'})`);
    if (this.keptOrRefused(req, to)) return;
    this.busy = { corr: req.corr, stop: () => undefined };
    this.publishStatus();
    try {
      const input = decodeTaskValue(req.args.input);
      this.reply(to, { v: FLEET.payloadVersion, corr: req.corr, stage: 'ok', result: { kind } });
      const value = encodeTaskValue(await runner.run(kind, input));
      this.reply(to, { v: FLEET.payloadVersion, corr: req.corr, stage: 'done', result: { kind, value } });
    } finally {
      this.release();
    }
  }

  private async startKept(req: TrainRequest | TaskRequest, to: ReplyAddress): Promise<void> {
    try {
      await (req.op === 'train' ? this.train(req, to) : this.task(req, to));
    } catch (err) {
      this.reply(to, { v: FLEET.payloadVersion, corr: req.corr, stage: 'error', error: errorBody(err) });
    }
  }
}

/** Whether `p` settles within `ms` (a rejection counts as settled: there is nothing left to wait for). */
function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  return Promise.race([
    p.then(
      () => true,
      () => true,
    ),
    late,
  ]).finally(() => clearTimeout(timer));
}
