// FleetClient: the commanding side (qiot fleet, qiot sweep). It follows every
// executor's retained status, sends commands with a correlation id and its own
// reply topic, routes replies and telemetry, and tells pending commands when
// their executor goes offline.
import { randomBytes } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import { QiotError } from '../errors.ts';
import { connectBroker, type BrokerSettings, type ConnectOptions } from './broker.ts';
import { FLEET } from './limits.ts';
import {
  decodeReply,
  decodeStatus,
  decodeTelemetryBatch,
  encodeJson,
  type Op,
  type RemoteErrorBody,
  type Reply,
  type Request,
  type Status,
  type TelemetryMessage,
} from './messages.ts';
import { parseTopic, topics } from './topics.ts';

/** A command failed on the executor; `kind` is the error kind of docs/fleet.md. */
export class RemoteError extends Error {
  readonly kind: RemoteErrorBody['kind'];
  readonly code?: number;
  constructor(
    readonly executor: string,
    body: RemoteErrorBody,
  ) {
    super(`${executor}: ${body.message}`);
    this.name = 'RemoteError';
    this.kind = body.kind;
    this.code = body.code;
  }
}

/** The executor went offline, never answered, or is not known at all. */
export class ExecutorLostError extends QiotError {
  constructor(
    readonly executor: string,
    message: string,
  ) {
    super(message, 'unreachable');
    this.name = 'ExecutorLostError';
  }
}

interface Pending {
  executor: string;
  onReply(reply: Reply): void;
  onLost(err: ExecutorLostError): void;
}

type ArgsOf<O extends Op> = Extract<Request, { op: O }>['args'];

export class FleetClient {
  readonly statuses = new Map<string, Status>();
  private readonly pending = new Map<string, Pending>();
  private readonly statusListeners = new Set<(s: Status) => void>();
  private readonly telemetryListeners = new Set<(id: string, t: TelemetryMessage) => void>();
  private readonly logListeners = new Set<(id: string, line: string) => void>();
  private next = 0;
  /** Connected with MQTT 5 (the broker speaks it): commands carry Response Topic and Correlation Data. */
  readonly mqtt5: boolean;

  private constructor(
    readonly mqtt: MqttClient,
    readonly clientId: string,
    private readonly settings: BrokerSettings,
    private readonly persistent: boolean,
  ) {
    this.mqtt5 = mqtt.options.protocolVersion === 5;
  }

  /**
   * persistent: the broker keeps this client's QoS 1 messages while it is away (a sweep across a
   * broker restart); close() discards that session, since the random client id is never used again.
   */
  static async connect(
    settings: BrokerSettings,
    role: string,
    opts: Pick<ConnectOptions, 'persistent' | 'sessionExpiryS' | 'receiveMaximum'> = {},
  ): Promise<FleetClient> {
    const clientId = `${role}-${randomBytes(4).toString('hex')}`;
    const mqtt = await connectBroker(settings, { clientId, ...opts });
    const client = new FleetClient(mqtt, clientId, settings, opts.persistent ?? false);
    mqtt.on('message', (topic, payload, packet) => client.route(topic, payload, packet.properties?.correlationData));
    await mqtt.subscribeAsync([topics.reply(clientId), topics.allStatus], { qos: FLEET.qos });
    return client;
  }

  async watchTelemetry(): Promise<void> {
    await this.mqtt.subscribeAsync(topics.allTelemetry, { qos: FLEET.qos });
  }

  async watchLogs(): Promise<void> {
    await this.mqtt.subscribeAsync(topics.allLog, { qos: 0 });
  }

  onStatus(listener: (s: Status) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  onTelemetry(listener: (id: string, t: TelemetryMessage) => void): () => void {
    this.telemetryListeners.add(listener);
    return () => this.telemetryListeners.delete(listener);
  }

  onLog(listener: (id: string, line: string) => void): () => void {
    this.logListeners.add(listener);
    return () => this.logListeners.delete(listener);
  }

  /** Retained statuses arrive right after subscribing; this waits for them to settle. */
  async discover(ms: number = FLEET.discoverMs): Promise<Status[]> {
    await new Promise((r) => setTimeout(r, ms));
    return [...this.statuses.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  online(): Extract<Status, { state: 'online' }>[] {
    return [...this.statuses.values()].filter((s): s is Extract<Status, { state: 'online' }> => s.state === 'online');
  }

  /** Sends a command; every reply for it goes to onReply until cancel(). */
  send<O extends Op>(
    executor: string,
    op: O,
    args: ArgsOf<O>,
    handlers: Omit<Pending, 'executor'>,
    auth?: string,
  ): { corr: string; cancel(): void } {
    const corr = `${this.clientId}/${++this.next}`;
    this.pending.set(corr, { executor, ...handlers });
    const request = { v: FLEET.payloadVersion, op, corr, reply: topics.reply(this.clientId), args, ...(auth ? { auth } : {}) } as Request;
    // MQTT 5: the reply address also as properties (what the protocol has them for); the payload keeps
    // `reply`/`corr` for 3.1.1 executors and readers of the command topic (the dashboard).
    const properties = this.mqtt5 ? { properties: { responseTopic: request.reply, correlationData: Buffer.from(corr) } } : {};
    this.mqtt.publish(topics.cmd(executor), encodeJson(request), { qos: FLEET.qos, ...properties });
    const status = this.statuses.get(executor);
    if (status?.state === 'offline') queueMicrotask(() => this.lose(corr, `${executor} is offline (${status.reason})`));
    return { corr, cancel: () => this.pending.delete(corr) };
  }

  /** A one-answer command: resolves with the `ok` result, rejects with RemoteError or ExecutorLostError. */
  call<O extends Op>(
    executor: string,
    op: O,
    args: ArgsOf<O>,
    timeoutMs: number = FLEET.requestTimeoutMs,
    auth?: string,
  ): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        handle.cancel();
        reject(
          new ExecutorLostError(
            executor,
            `no answer from ${executor} to '${op}' within ${timeoutMs} ms (unknown id, or the executor is offline)`,
          ),
        );
      }, timeoutMs);
      const handle = this.send(
        executor,
        op,
        args,
        {
          onReply: (reply) => {
            if (reply.stage === 'queued') return; // not an answer yet (only a train with `queue` gets it)
            clearTimeout(timer);
            handle.cancel();
            if (reply.stage === 'error') reject(new RemoteError(executor, reply.error));
            else resolve(reply.result as Record<string, unknown>);
          },
          onLost: (err) => {
            clearTimeout(timer);
            reject(err);
          },
        },
        auth,
      );
    });
  }

  /** Disconnects; a persistent session is then removed from the broker (a clean connect with the same id ends it, MQTT 3.1.1 §3.1.2.4). */
  async close(): Promise<void> {
    await this.mqtt.endAsync();
    if (!this.persistent) return;
    try {
      const once = await connectBroker(this.settings, { clientId: this.clientId });
      await once.endAsync();
    } catch {
      // Broker gone meanwhile: the session expires with the broker's own policy.
    }
  }

  private lose(corr: string, why: string): void {
    const p = this.pending.get(corr);
    if (!p) return;
    this.pending.delete(corr);
    p.onLost(new ExecutorLostError(p.executor, why));
  }

  /** A broker restart also publishes the last will: the command is lost only if the executor is not back, still running it, within FLEET.offlineGraceMs. */
  private loseUnlessBack(corr: string, executor: string, reason: string): void {
    const timer = setTimeout(() => {
      const now = this.statuses.get(executor);
      if (now?.state === 'online' && (now.busy === corr || now.next === corr)) return;
      this.lose(corr, `${executor} went offline (${reason})`);
    }, FLEET.offlineGraceMs);
    timer.unref();
  }

  /**
   * A reply this client cannot read (e.g. from an executor running another qiot version)
   * still ends the command it answers, as an error naming the problem, instead of leaving
   * it waiting for an answer that has already come.
   */
  private routeReply(payload: Buffer, correlationData?: Buffer): void {
    let reply: Reply;
    try {
      reply = decodeReply(payload);
    } catch (err) {
      const corr = correlationData?.toString('utf8') ?? correlationOf(payload);
      const p = corr === undefined ? undefined : this.pending.get(corr);
      if (!p || corr === undefined) return;
      const message = `its reply cannot be read by this qiot (${(err as Error).message}); is the executor running another qiot version?`;
      p.onReply({ v: FLEET.payloadVersion, corr, stage: 'error', error: { kind: 'unreachable', message } });
      return;
    }
    this.pending.get(correlationData?.toString('utf8') ?? reply.corr)?.onReply(reply);
  }

  private route(topic: string, payload: Buffer, correlationData?: Buffer): void {
    try {
      if (topic === topics.reply(this.clientId)) {
        this.routeReply(payload, correlationData);
        return;
      }
      const parsed = parseTopic(topic);
      if (!parsed) return;
      if (parsed.kind === 'telemetry') {
        for (const t of decodeTelemetryBatch(payload))
          this.telemetryListeners.forEach((l) => {
            l(parsed.id, t);
          });
      } else if (parsed.kind === 'log') {
        this.logListeners.forEach((l) => {
          l(parsed.id, payload.toString('utf8'));
        });
      } else if (parsed.kind === 'status') {
        if (payload.length === 0) {
          this.statuses.delete(parsed.id); // retained status cleared
          return;
        }
        const status = decodeStatus(payload);
        this.statuses.set(parsed.id, status);
        if (status.state === 'offline') {
          for (const [corr, p] of this.pending) if (p.executor === parsed.id) this.loseUnlessBack(corr, parsed.id, status.reason);
        }
        this.statusListeners.forEach((l) => {
          l(status);
        });
      }
    } catch {
      // A malformed message from some other publisher: ignored (it cannot be answered).
    }
  }
}

/** The `corr` of a JSON reply that does not match the schema, if it has one. */
function correlationOf(payload: Buffer): string | undefined {
  try {
    const value: unknown = JSON.parse(payload.toString('utf8'));
    const corr = (value as { corr?: unknown } | null)?.corr;
    return typeof corr === 'string' ? corr : undefined;
  } catch {
    return undefined;
  }
}
