// `qiot dashboard [--broker URL] [--runs DIR] [--port 8080]`: serves the live
// dashboard on 127.0.0.1 and prints its URL with the command token.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadAssets } from '../dashboard/assets.ts';
import { DASHBOARD } from '../dashboard/limits.ts';
import { startDashboard } from '../dashboard/server.ts';
import { CliError, EXIT } from './exit-codes.ts';
import { QIOT_VERSION } from './version.ts';

interface DashboardOptions {
  broker?: string;
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
  if (!protocols.includes(url.protocol)) throw new CliError(`${flag}: expected ${protocols.map((p) => `${p}//`).join(' or ')}, got '${text}'`, EXIT.usage);
  return text;
}

const isLoopback = (host: string) => host === '127.0.0.1' || host === '::1' || host === 'localhost';

export function register(program: Command): void {
  program
    .command('dashboard')
    .description('serve the live web dashboard (fleet, live runs, run logs, sweeps) on 127.0.0.1')
    .option('--broker <url>', 'MQTT broker (mqtt://, mqtts://, ws://, wss://); default: the embedded broker')
    .option('--broker-ws <url>', "the broker's WebSocket URL for the page (default: --broker when it is ws:// or wss://)")
    .option('--runs <dir>', 'directory of run logs (*.jsonl, also in sub-folders) to list beside the live runs')
    .option('--port <n>', `HTTP port (0 = any free port)`, parsePort, DASHBOARD.defaultPort)
    .option('--host <address>', 'address to bind; anything but loopback exposes the page and prints a warning', DASHBOARD.defaultHost)
    .addHelpText(
      'after',
      '\nThe page needs no internet: every asset is served from build/dashboard/ (built by `make dashboard`).\n' +
        'Commands from the page (stop, start) need the token printed at start-up: open the printed URL.\n' +
        '\nExamples:\n  qiot dashboard --runs runs\n  qiot dashboard --broker mqtt://10.0.0.5:1883 --broker-ws ws://10.0.0.5:9001 --port 0\n' +
        '\nExit codes: 0 stopped with Ctrl-C, 2 bad option, assets not built or port in use.',
    )
    .action(async (opts: DashboardOptions) => dashboard(opts));
}

async function dashboard(opts: DashboardOptions): Promise<void> {
  const assets = loadAssets();
  if (!assets) throw new CliError('the dashboard page is not built: run `make dashboard`', EXIT.usage);
  let runsDir: string | null = null;
  if (opts.runs !== undefined) {
    runsDir = resolve(opts.runs);
    if (!existsSync(runsDir) || !statSync(runsDir).isDirectory()) throw new CliError(`--runs: no such directory: ${opts.runs}`, EXIT.usage);
  }
  if (opts.broker) parseUrl('--broker', opts.broker, ['mqtt:', 'mqtts:', 'ws:', 'wss:']);
  if (opts.brokerWs) parseUrl('--broker-ws', opts.brokerWs, ['ws:', 'wss:']);
  const brokerWs = opts.brokerWs ?? (opts.broker && /^wss?:/.test(opts.broker) ? opts.broker : null);
  if (opts.broker && !brokerWs) throw new CliError('--broker is not a WebSocket URL: give the WebSocket listener of the same broker with --broker-ws', EXIT.usage);

  if (!isLoopback(opts.host)) {
    process.stderr.write(`qiot dashboard: WARNING: listening on ${opts.host}, not loopback: anyone who can reach it sees the fleet and runs (commands still need the token)\n`);
  }
  let dash;
  try {
    dash = await startDashboard({
      assets,
      runsDir,
      info: { version: QIOT_VERSION, broker: brokerWs, runsDir: opts.runs ?? null },
      commands: null,
      host: opts.host,
      port: opts.port,
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new CliError(`port ${opts.port} is in use (try --port 0)`, EXIT.usage);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new CliError(`--host ${opts.host}: not an address of this machine`, EXIT.usage);
    throw err;
  }
  process.stdout.write(`dashboard: ${dash.url}#token=${dash.token}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await dash.close();
}
