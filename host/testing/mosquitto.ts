// A real Mosquitto for tests and benches: started from mosquitto.conf (this
// folder) on a free 127.0.0.1 port in a scratch directory, restartable with its
// persistence kept, stopped afterwards. Installed by `make deps` (need-debian.sh).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, appendFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { makeTestCa } from './test-ca.ts';

const CONF = new URL('./mosquitto.conf', import.meta.url);
const START_TIMEOUT_MS = 10_000;

export function mosquittoBinary(): string {
  for (const p of ['/usr/sbin/mosquitto', '/usr/bin/mosquitto']) if (existsSync(p)) return p;
  throw new Error('mosquitto not found: install it with `make deps` (Debian package mosquitto)');
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

async function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`mosquitto exited with code ${child.exitCode}: ${log()}`);
    const up = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (up) return;
    if (Date.now() > deadline) throw new Error(`mosquitto did not listen on ${port} within ${START_TIMEOUT_MS} ms: ${log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface Mosquitto {
  url: string;
  port: number;
  /** With `tls`: mqtts:// on a second loopback port, and the CA file that signed its certificate. */
  tlsUrl?: string;
  caPath?: string;
  /** Stops the broker (SIGTERM: it saves its sessions) and starts it again on the same port. */
  restart(): Promise<void>;
  /** Stops the broker and removes its directory. */
  stop(): Promise<void>;
  /** Stops the broker without restarting (for "broker down" checks). */
  halt(): Promise<void>;
  /** The running broker's process id (benches read its CPU time from /proc). */
  pid(): number | undefined;
}

export interface MosquittoOptions {
  /** user → password; anonymous clients are then refused. */
  users?: Record<string, string>;
  /** Text of a Mosquitto ACL file (acl_file). */
  acl?: string;
  /** Also a TLS listener, with a test CA made by openssl (test-ca.ts). */
  tls?: boolean;
  /** More mosquitto.conf lines, after the repository's (a later line wins), e.g. for the bench. */
  settings?: string[];
}

export async function startMosquitto(opts: MosquittoOptions = {}): Promise<Mosquitto> {
  const binary = mosquittoBinary();
  const dir = mkdtempSync(join(tmpdir(), 'qiot-mosquitto-'));
  const conf = join(dir, 'mosquitto.conf');
  const port = await freePort();
  copyFileSync(CONF, conf);
  appendFileSync(conf, `\nuser ${userInfo().username}\nlistener ${port} 127.0.0.1\npersistence_location ${dir}/\n`);
  if (opts.users) {
    const passwords = join(dir, 'passwords');
    for (const [user, password] of Object.entries(opts.users)) {
      execFileSync('mosquitto_passwd', [...(existsSync(passwords) ? [] : ['-c']), '-b', passwords, user, password]);
    }
    appendFileSync(conf, `allow_anonymous false\npassword_file ${passwords}\n`);
  } else {
    appendFileSync(conf, 'allow_anonymous true\n');
  }
  if (opts.settings) appendFileSync(conf, `${opts.settings.join('\n')}\n`);
  if (opts.acl !== undefined) {
    writeFileSync(join(dir, 'acl'), opts.acl);
    appendFileSync(conf, `acl_file ${join(dir, 'acl')}\n`);
  }
  let tls: { port: number; ca: string } | null = null;
  if (opts.tls) {
    const ca = makeTestCa(dir);
    tls = { port: await freePort(), ca: ca.ca };
    appendFileSync(conf, `listener ${tls.port} 127.0.0.1\ncafile ${ca.ca}\ncertfile ${ca.cert}\nkeyfile ${ca.key}\n`);
  }
  let child: ChildProcess | null = null;
  let log = '';
  const start = async () => {
    log = '';
    const c = spawn(binary, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    c.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    c.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    child = c;
    await waitForPort(port, c, () => log);
  };
  const halt = async () => {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    const timer = setTimeout(() => c.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  await start();
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    ...(tls ? { tlsUrl: `mqtts://127.0.0.1:${tls.port}`, caPath: tls.ca } : {}),
    restart: async () => {
      await halt();
      await start();
    },
    halt,
    pid: () => (child as ChildProcess | null)?.pid,
    stop: async () => {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
