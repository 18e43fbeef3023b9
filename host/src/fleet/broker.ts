// Connecting to the broker: a real one (--broker mqtt(s)://host:port, credentials
// from the environment or a config file, never printed) or the embedded aedes
// broker on 127.0.0.1 that the first qiot process starts and later ones join.
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { z } from 'zod';
import { QiotError } from '../errors.ts';
import { FLEET } from './limits.ts';

/** Why the broker cannot be used: down or refusing us (unreachable), or a bad URL / config file (invalid). */
export class BrokerError extends QiotError {
  constructor(
    message: string,
    readonly reason: 'down' | 'auth' | 'usage',
  ) {
    super(message, reason === 'usage' ? 'invalid' : 'unreachable');
    this.name = 'BrokerError';
  }
}

export interface BrokerSettings {
  url: string;
  username?: string;
  password?: string;
  /** PEM text of the CA that signed the broker's certificate (mqtts://). */
  ca?: string;
  cert?: string;
  key?: string;
}

const BrokerFileSchema = z.strictObject({
  url: z.string().optional(),
  username: z.string().optional(),
  password: z.string().optional(),
  ca: z.string().optional().describe('path of a PEM file'),
  cert: z.string().optional().describe('path of a PEM file'),
  key: z.string().optional().describe('path of a PEM file'),
});

const readPem = (path: string, what: string) => {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new BrokerError(`cannot read the broker ${what} file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, 'usage');
  }
};

/**
 * The broker to use: --broker, else QIOT_BROKER, else the config file's url, else null
 * (embedded). Credentials: QIOT_BROKER_USERNAME / QIOT_BROKER_PASSWORD, else the config
 * file (--broker-config or QIOT_BROKER_CONFIG: JSON {url, username, password, ca, cert, key}).
 */
export function brokerSettings(
  opts: { broker?: string; brokerConfig?: string },
  env: NodeJS.ProcessEnv = process.env,
): BrokerSettings | null {
  const file = opts.brokerConfig ?? env.QIOT_BROKER_CONFIG;
  let fromFile: z.infer<typeof BrokerFileSchema> = {};
  if (file) {
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new BrokerError(
        `broker config ${file}: ${err instanceof SyntaxError ? 'not valid JSON' : ((err as NodeJS.ErrnoException).code ?? String(err))}`,
        'usage',
      );
    }
    const parsed = BrokerFileSchema.safeParse(value);
    if (!parsed.success) throw new BrokerError(`broker config ${file}: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}`, 'usage');
    fromFile = parsed.data;
  }
  const url = opts.broker ?? env.QIOT_BROKER ?? fromFile.url;
  if (!url) return null;
  checkUrl(url);
  return {
    url,
    username: env.QIOT_BROKER_USERNAME ?? fromFile.username,
    password: env.QIOT_BROKER_PASSWORD ?? fromFile.password,
    ...(fromFile.ca ? { ca: readPem(fromFile.ca, 'CA') } : env.QIOT_BROKER_CA ? { ca: readPem(env.QIOT_BROKER_CA, 'CA') } : {}),
    ...(fromFile.cert ? { cert: readPem(fromFile.cert, 'certificate') } : {}),
    ...(fromFile.key ? { key: readPem(fromFile.key, 'key') } : {}),
  };
}

/** The URL without user:password, for messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '<invalid URL>';
  }
}

function checkUrl(url: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new BrokerError(`--broker: '${redact(url)}' is not a URL; expected mqtt://host:port or mqtts://host:port`, 'usage');
  }
  if (!['mqtt:', 'mqtts:', 'ws:', 'wss:'].includes(u.protocol)) {
    throw new BrokerError(
      `--broker: unsupported scheme '${u.protocol}' in ${redact(url)}; use mqtt://, mqtts://, ws:// or wss://`,
      'usage',
    );
  }
}

export interface ConnectOptions {
  clientId: string;
  /** Persistent session: QoS 1 messages for this client are kept by the broker while it is away. */
  persistent?: boolean;
  /** MQTT 5 session expiry of a persistent session (default FLEET.sessionExpiryS, never): a short-lived client bounds what the broker keeps if it dies. */
  sessionExpiryS?: number;
  /** MQTT 5 Receive Maximum (default FLEET.receiveMaximum): 1 makes the broker hold every further QoS 1 message until the last is acknowledged. */
  receiveMaximum?: number;
  will?: { topic: string; payload: Buffer };
}

/** CONNACK refusals: MQTT 3.1.1 return codes and the MQTT 5 reason codes that mean the same. */
const REFUSED: Record<number, string> = {
  1: 'unacceptable protocol version',
  2: 'client id rejected',
  3: 'server unavailable',
  4: 'bad user name or password',
  5: 'not authorised',
  132: 'unsupported protocol version',
  133: 'client id rejected',
  134: 'bad user name or password',
  135: 'not authorised',
  136: 'server unavailable',
};
const AUTH_REFUSED = new Set([4, 5, 134, 135]);
const VERSION_REFUSED = new Set([1, 132]);

class VersionRefused extends Error {}

/**
 * Connects with MQTT 5 and, when the broker refuses that version (aedes speaks only 3.1.1),
 * with MQTT 3.1.1; waits for CONNACK. Afterwards MQTT.js reconnects on its own (QoS 1
 * messages are queued meanwhile). `client.options.protocolVersion` says which one is used.
 */
export async function connectBroker(settings: BrokerSettings, opts: ConnectOptions): Promise<MqttClient> {
  try {
    return await connectVersion(settings, opts, 5);
  } catch (err) {
    if (!(err instanceof VersionRefused)) throw err;
    return connectVersion(settings, opts, 4);
  }
}

/**
 * TCP_NODELAY on the client's socket, now and after every reconnect. MQTT.js leaves Nagle's
 * algorithm on: a small packet (a PUBACK, an 80-byte telemetry message) then waits until the
 * previous one is acknowledged, and with the peer's delayed ACK that stalls a QoS 1 window
 * (bench/fleet-bench.ts, docs/fleet.md). Mosquitto sets it on its side (set_tcp_nodelay).
 */
export function noDelay(client: MqttClient): MqttClient {
  const set = () => (client.stream as { setNoDelay?: (on: boolean) => void } | undefined)?.setNoDelay?.(true);
  set();
  client.on('connect', set);
  return client;
}

/**
 * A QoS 1 message from the broker proves it alive (and our PUBACK is activity it sees), so the
 * keep-alive ping waits. MQTT.js pings keepaliveS after the last acknowledgement it received and
 * drops the connection if the PINGRESP is not processed within half of that, even while messages
 * stream in: a subscriber starved of CPU behind a backlog reconnected every ~15 s and the broker sent
 * its queue again flagged DUP (bench-fleet, docs/fleet.md). Rescheduled at most once a second.
 */
export function aliveOnTraffic(client: MqttClient): MqttClient {
  let last = 0;
  client.on('packetreceive', (packet) => {
    if (packet.cmd !== 'publish' || packet.qos === 0) return;
    const now = Date.now();
    if (now - last < 1_000) return;
    last = now;
    client.reschedulePing();
  });
  return client;
}

async function connectVersion(settings: BrokerSettings, opts: ConnectOptions, version: 4 | 5): Promise<MqttClient> {
  const options: IClientOptions = {
    protocolVersion: version,
    clientId: opts.clientId,
    clean: !opts.persistent,
    // MQTT 5 ends a session at disconnect unless it has an expiry: a persistent one lives as under 3.1.1.
    ...(version === 5
      ? {
          properties: {
            receiveMaximum: opts.receiveMaximum ?? FLEET.receiveMaximum,
            ...(opts.persistent ? { sessionExpiryInterval: opts.sessionExpiryS ?? FLEET.sessionExpiryS } : {}),
          },
        }
      : {}),
    keepalive: FLEET.keepaliveS,
    reconnectPeriod: FLEET.reconnectPeriodMs,
    connectTimeout: FLEET.connectTimeoutMs,
    username: settings.username,
    password: settings.password,
    ca: settings.ca,
    cert: settings.cert,
    key: settings.key,
    ...(opts.will ? { will: { topic: opts.will.topic, payload: opts.will.payload, qos: FLEET.qos, retain: true } } : {}),
  };
  const where = redact(settings.url);
  const client = aliveOnTraffic(noDelay(mqtt.connect(settings.url, options)));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new BrokerError(
              `no MQTT broker answered at ${where} within ${FLEET.connectTimeoutMs} ms (is it running? is the URL right?)`,
              'down',
            ),
          ),
        FLEET.connectTimeoutMs,
      );
      client.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
      client.on('error', (err: Error & { code?: number | string }) => {
        clearTimeout(timer);
        if (typeof err.code === 'number' && VERSION_REFUSED.has(err.code) && version === 5) {
          reject(new VersionRefused());
        } else if (typeof err.code === 'number' && AUTH_REFUSED.has(err.code)) {
          reject(
            new BrokerError(
              `the broker at ${where} refused the connection: ${REFUSED[err.code]} (check QIOT_BROKER_USERNAME / QIOT_BROKER_PASSWORD or the broker config file)`,
              'auth',
            ),
          );
        } else if (typeof err.code === 'number') {
          reject(new BrokerError(`the broker at ${where} refused the connection: ${REFUSED[err.code] ?? `code ${err.code}`}`, 'down'));
        } else {
          reject(new BrokerError(`cannot reach the MQTT broker at ${where}: ${err.message}`, 'down'));
        }
      });
    });
  } catch (err) {
    client.end(true);
    throw err;
  }
  client.removeAllListeners('error');
  client.on('error', () => undefined); // later errors: MQTT.js reconnects; callers watch 'offline'/'connect'
  return client;
}

export interface EmbeddedBroker {
  url: string;
  wsUrl: string;
  close(): Promise<void>;
}

const listen = (server: Server | HttpServer, port: number) =>
  new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
  });

/** Starts aedes on 127.0.0.1:port (0 = any free port) with a WebSocket listener on wsPort for the dashboard. */
export async function startEmbeddedBroker(port: number, wsPort: number): Promise<EmbeddedBroker> {
  const aedes = await Aedes.createBroker();
  const tcp = createServer(aedes.handle);
  const http = createHttpServer();
  const wss = new WebSocketServer({ server: http });
  wss.on('connection', (socket, req) => aedes.handle(createWebSocketStream(socket) as never, req as never));
  try {
    const bound = await listen(tcp, port);
    const wsBound = await listen(http, wsPort);
    return {
      url: `mqtt://127.0.0.1:${bound}`,
      wsUrl: `ws://127.0.0.1:${wsBound}`,
      close: async () => {
        for (const c of wss.clients) c.terminate();
        await new Promise<void>((r) => aedes.close(() => r()));
        await Promise.all([new Promise((r) => tcp.close(r)), new Promise((r) => http.close(r))]);
      },
    };
  } catch (err) {
    tcp.close();
    http.close();
    await new Promise<void>((r) => aedes.close(() => r()));
    throw err;
  }
}

/**
 * Without --broker: joins the embedded broker another qiot process runs on
 * 127.0.0.1:QIOT_EMBEDDED_PORT (default 18830, not 1883: see limits.ts), or starts it in this process.
 */
export async function embeddedOrJoin(
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ settings: BrokerSettings; broker: EmbeddedBroker | null }> {
  const port = env.QIOT_EMBEDDED_PORT ? Number(env.QIOT_EMBEDDED_PORT) : FLEET.embeddedPort;
  const wsPort = env.QIOT_EMBEDDED_WS_PORT ? Number(env.QIOT_EMBEDDED_WS_PORT) : FLEET.embeddedWsPort;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new BrokerError(`QIOT_EMBEDDED_PORT: expected a port number, got '${env.QIOT_EMBEDDED_PORT}'`, 'usage');
  try {
    const broker = await startEmbeddedBroker(port, wsPort);
    return { settings: { url: broker.url }, broker };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE')
      throw new BrokerError(`cannot start the embedded broker on 127.0.0.1:${port}: ${String(err)}`, 'down');
    return { settings: { url: `mqtt://127.0.0.1:${port}` }, broker: null };
  }
}
