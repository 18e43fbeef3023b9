// qiot-command: 210 dashboard — serve the live web dashboard (fleet, live runs, run logs, sweeps) on 127.0.0.1
// `qiot dashboard [--broker URL] [--runs DIR] [--port 8080]`: serves the live
// dashboard on 127.0.0.1 and prints its URL with the command token.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadAssets } from '../dashboard/assets.ts';
import { BrokerLink } from '../dashboard/broker-link.ts';
import { fleetCommands } from '../dashboard/commands.ts';
import { FLEET } from '../fleet/limits.ts';
import { FleetClient } from '../fleet/client.ts';
import { BrokerError, brokerSettings, embeddedOrJoin, redact, type BrokerSettings, type EmbeddedBroker } from '../fleet/broker.ts';
import { DASHBOARD } from '../dashboard/limits.ts';
import { startDashboard } from '../dashboard/server.ts';
import { CliError, EXIT } from './exit-codes.ts';
import { QIOT_VERSION } from '../version.ts';

interface DashboardOptions {
  broker?: string;
  brokerConfig?: string;
  brokerWs?: string;
  runs?: string;
  port: number;
  host: string;
}

function parsePort(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65_535) throw new CliError(`--port must be 0..65535, got '${text}'`, EXIT.usage);
  return n;
}

function parseUrl(flag: string, text: string, protocols: string[]): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CliError(`${flag}: not a URL: '${text}'`, EXIT.usage);
  }
  if (!protocols.includes(url.protocol))
    throw new CliError(`${flag}: expected ${protocols.map((p) => `${p}//`).join(' or ')}, got '${text}'`, EXIT.usage);
  return text;
}

const isLoopback = (host: string) => host === '127.0.0.1' || host === '::1' || host === 'localhost';

export function register(program: Command): void {
  program
    .command('dashboard')
    .description('serve the live web dashboard (fleet, live runs, run logs, sweeps) on 127.0.0.1')
    .option(
      '--broker <url>',
      'MQTT broker (mqtt://, mqtts://, ws://, wss://); default: QIOT_BROKER, else the embedded broker (started, or joined)',
    )
    .option(
      '--broker-config <file>',
      'JSON {url, username, password, ca, cert, key} (or QIOT_BROKER_CONFIG); credentials also from QIOT_BROKER_USERNAME / QIOT_BROKER_PASSWORD',
    )
    .option('--broker-ws <url>', "the broker's WebSocket URL for the page (default: --broker when it is ws:// or wss://)")
    .option('--runs <dir>', 'directory of run logs (*.jsonl, also in sub-folders) to list beside the live runs')
    .option('--port <n>', `HTTP port (0 = any free port)`, parsePort, DASHBOARD.defaultPort)
    .option('--host <address>', 'address to bind; anything but loopback exposes the page and prints a warning', DASHBOARD.defaultHost)
    .addHelpText(
      'after',
      '\nThe page needs no internet: every asset is served from build/dashboard/ (built by `make dashboard`).\n' +
        'Commands from the page (stop, start) need the token printed at start-up: open the printed URL.\n' +
        '\nExamples:\n  qiot dashboard --runs runs\n  qiot dashboard --broker mqtt://10.0.0.5:1883 --broker-ws ws://10.0.0.5:9001 --port 0\n' +
        '\nExit codes: 0 stopped with Ctrl-C, 2 bad option, page not built or port in use, 3 broker unreachable or refused.',
    )
    .action(async (opts: DashboardOptions) => dashboard(opts));
}

/** The broker for the server, and its WebSocket URL for the page. */
async function openBroker(opts: DashboardOptions): Promise<{ settings: BrokerSettings; wsUrl: string; embedded: EmbeddedBroker | null }> {
  if (opts.brokerWs) parseUrl('--broker-ws', opts.brokerWs, ['ws:', 'wss:']);
  const settings = brokerSettings(opts);
  if (settings) {
    const wsUrl = opts.brokerWs ?? (/^wss?:/.test(settings.url) ? redact(settings.url) : null);
    if (!wsUrl)
      throw new CliError(
        `the page needs the broker's WebSocket listener: add --broker-ws ws://HOST:PORT (the broker at ${redact(settings.url)} is not ws://)`,
        EXIT.usage,
      );
    return { settings, wsUrl, embedded: null };
  }
  const { settings: joined, broker } = await embeddedOrJoin();
  // Joined another process's embedded broker: its WebSocket listener is on the same fixed port.
  const joinedWs = `ws://127.0.0.1:${process.env.QIOT_EMBEDDED_WS_PORT ?? FLEET.embeddedWsPort}`;
  return { settings: joined, wsUrl: opts.brokerWs ?? broker?.wsUrl ?? joinedWs, embedded: broker };
}

async function dashboard(opts: DashboardOptions): Promise<void> {
  const assets = loadAssets();
  if (!assets) throw new CliError('the dashboard page is not built: run `make dashboard`', EXIT.usage);
  let runsDir: string | null = null;
  if (opts.runs !== undefined) {
    runsDir = resolve(opts.runs);
    if (!existsSync(runsDir) || !statSync(runsDir).isDirectory()) throw new CliError(`--runs: no such directory: ${opts.runs}`, EXIT.usage);
  }
  if (!isLoopback(opts.host)) {
    process.stderr.write(
      `qiot dashboard: WARNING: listening on ${opts.host}, not loopback: anyone who can reach it sees the fleet and runs (commands still need the token)\n`,
    );
  }
  const cleanup: (() => Promise<unknown>)[] = [];
  try {
    const broker = await openBroker(opts).catch(brokerFailure);
    if (broker.embedded) cleanup.push(() => broker.embedded!.close());
    const link = await BrokerLink.attach(await FleetClient.connect(broker.settings, 'dashboard').catch(brokerFailure));
    cleanup.unshift(() => link.close());
    let dash: Awaited<ReturnType<typeof startDashboard>>;
    try {
      dash = await startDashboard({
        assets,
        runsDir,
        info: { version: QIOT_VERSION, broker: broker.wsUrl, runsDir: opts.runs ?? null },
        commands: fleetCommands(link),
        backfill: (board) => link.backfill(board),
        signature: (board) => link.signature(board),
        host: opts.host,
        port: opts.port,
      });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new CliError(`port ${opts.port} is in use (try --port 0)`, EXIT.usage);
      if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
        throw new CliError(`--host ${opts.host}: not an address of this machine`, EXIT.usage);
      throw err;
    }
    cleanup.unshift(() => dash.close());
    process.stdout.write(`dashboard: ${dash.url}#token=${dash.token}\n`);
    process.stderr.write(
      `dashboard: broker ${redact(broker.settings.url)}${broker.embedded ? ' (embedded, started here)' : ''}, page connects to ${broker.wsUrl}\n`,
    );
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
  } finally {
    for (const step of cleanup) await step().catch(() => undefined);
  }
}

function brokerFailure(err: unknown): never {
  if (err instanceof BrokerError) throw new CliError(err.message, err.reason === 'usage' ? EXIT.usage : EXIT.device);
  throw err;
}
