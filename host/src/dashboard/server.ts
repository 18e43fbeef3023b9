// The dashboard's HTTP server: the bundled page, run logs under `--runs DIR`,
// and commands (stop, start) that need the token printed at start-up. Live
// data does not pass through here: the page subscribes to the broker itself.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RunLogError } from '../runlog/reader.ts';
import type { Asset } from './assets.ts';
import { DASHBOARD } from './limits.ts';
import { listRuns, readRun } from './runs.ts';

/** A command from the page, already authenticated; throws CommandError to answer with a message. */
export type CommandHandler = (command: Record<string, unknown>) => Promise<unknown>;

export class CommandError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

export interface DashboardOptions {
  assets: Map<string, Asset>;
  runsDir: string | null;
  /** What the page needs to know: the broker's WebSocket URL, version… (sent as /api/info). */
  info: Record<string, unknown>;
  commands: CommandHandler | null;
  /** The recorded messages of a board's current run (broker-link.ts), replayed by a page opened mid-run. */
  backfill: ((board: string) => unknown[]) | null;
  /** The signature status of a board's module (broker-link.ts), asked of the board. */
  signature?: ((board: string) => Promise<string>) | null;
  host?: string;
  port?: number;
  token?: string;
}

export interface Dashboard {
  server: Server;
  url: string;
  token: string;
  close(): Promise<void>;
}

export function newToken(): string {
  return randomBytes(DASHBOARD.tokenBytes).toString('base64url');
}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  const data = Buffer.isBuffer(body) ? body : Buffer.from(type === 'application/json' ? JSON.stringify(body) : String(body));
  res.writeHead(status, {
    'content-type': type,
    'content-length': data.length,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'content-security-policy':
      "default-src 'self'; connect-src 'self' ws: wss:; worker-src 'self' blob:; img-src 'self' data:; style-src 'self' 'unsafe-inline'",
  });
  res.end(data);
}

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** DNS rebinding guard: on loopback, only requests addressed to a loopback name are served. */
function hostAllowed(req: IncomingMessage, boundHost: string): boolean {
  if (!LOOPBACK_NAMES.has(boundHost)) return true;
  const name = (req.headers.host ?? '').replace(/:\d+$/, '');
  return LOOPBACK_NAMES.has(name);
}

function tokenMatches(req: IncomingMessage, token: string): boolean {
  const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > DASHBOARD.maxBodyBytes) throw new CommandError(`request body over ${DASHBOARD.maxBodyBytes} bytes`, 413);
    chunks.push(chunk as Buffer);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new CommandError('request body is not JSON');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new CommandError('request body must be a JSON object');
  return value as Record<string, unknown>;
}

export async function startDashboard(opts: DashboardOptions): Promise<Dashboard> {
  const host = opts.host ?? DASHBOARD.defaultHost;
  const token = opts.token ?? newToken();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostAllowed(req, host)) return send(res, 403, { error: 'unexpected Host header' });
    const url = new URL(req.url ?? '/', 'http://dashboard');
    if (req.method === 'GET') {
      const asset = opts.assets.get(url.pathname);
      if (asset) return send(res, 200, asset.body, asset.type);
      if (url.pathname === '/api/info')
        return send(res, 200, { ...opts.info, runs: opts.runsDir !== null, commands: opts.commands !== null });
      if (url.pathname === '/api/runs') return send(res, 200, opts.runsDir ? listRuns(opts.runsDir) : []);
      if (url.pathname === '/api/backfill') return send(res, 200, opts.backfill ? opts.backfill(url.searchParams.get('board') ?? '') : []);
      if (url.pathname === '/api/signature') {
        if (!opts.signature) return send(res, 404, { error: 'no broker' });
        // An executor that does not answer `info` leaves the status unknown (null), not an HTTP error.
        const signature = await opts.signature(url.searchParams.get('board') ?? '').catch(() => null);
        return send(res, 200, { signature });
      }
      if (url.pathname === '/api/run') {
        if (!opts.runsDir) return send(res, 404, { error: 'no --runs directory' });
        try {
          return send(res, 200, readRun(opts.runsDir, url.searchParams.get('id') ?? '', Number(url.searchParams.get('from') ?? 0) || 0));
        } catch (err) {
          if (err instanceof RunLogError) return send(res, err.line === 0 ? 404 : 422, { error: err.message });
          throw err;
        }
      }
      return send(res, 404, { error: `no such page: ${url.pathname}` });
    }
    if (req.method === 'POST' && url.pathname === '/api/command') {
      if (!tokenMatches(req, token)) return send(res, 401, { error: 'missing or wrong token (printed by `qiot dashboard` at start-up)' });
      if (!opts.commands) return send(res, 503, { error: 'commands are not available (no broker)' });
      try {
        return send(res, 200, { ok: true, result: (await opts.commands(await readJsonBody(req))) ?? null });
      } catch (err) {
        if (err instanceof CommandError) return send(res, err.status, { error: err.message });
        return send(res, 502, { error: err instanceof Error ? err.message : String(err) });
      }
    }
    return send(res, 405, { error: `${req.method} ${url.pathname} is not supported` });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) send(res, 500, { error: String(err) });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? DASHBOARD.defaultPort, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    server,
    url: `http://${shownHost}:${port}/`,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
