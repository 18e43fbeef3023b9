// A `qiot gateway` process that holds no key, in front of posix boards prepared over
// their own line first (docs/fleet.md "Security end to end"): each gets the module, and
// the first `provisioned` of them are provisioned with the owner's key (trust on first
// use), the rest stay open. Shared by the fleet's authentication tests on Mosquitto.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { controlKeyOf, encodeProvision } from '../src/security/auth.ts';
import type { SigningKey } from '../src/security/keys.ts';
import { MODULE_PATH, QIOT_CLI, readModule, REPO, startBoard } from './harness.ts';

export interface KeylessGateway {
  /** Board ids, `<prefix>-posix-<i>`: the provisioned ones first. */
  provisioned: string[];
  open: string[];
  /** The gateway process (its own process group, with its boards). */
  process: ChildProcess;
  /** What the gateway wrote on stderr so far. */
  log(): string;
  /** SIGTERM to the group; resolves once the gateway exited. */
  stop(): Promise<void>;
}

export async function startKeylessGateway(opts: {
  brokerUrl: string;
  dir: string;
  prefix: string;
  key: SigningKey;
  provisioned: number;
  open?: number;
}): Promise<KeylessGateway> {
  const boards = join(opts.dir, `${opts.prefix}-boards`);
  mkdirSync(boards, { recursive: true });
  const count = opts.provisioned + (opts.open ?? 0);
  const ids = Array.from({ length: count }, (_, i) => `${opts.prefix}-posix-${i}`);
  for (const [i, id] of ids.entries()) {
    const board = await startBoard({ state: join(boards, `${id}.state`) });
    try {
      await board.client.upload(readModule());
      if (i < opts.provisioned) {
        await board.client.provision(encodeProvision([opts.key.publicKey], controlKeyOf(opts.key)));
        if (!board.client.info.security?.provisioned) throw new Error(`${id}: not provisioned`);
      }
    } finally {
      await board.close();
    }
  }
  const child = spawn(
    process.execPath,
    [
      QIOT_CLI,
      'gateway',
      '--broker',
      opts.brokerUrl,
      '--board',
      `posix:${count}`,
      '--state-dir',
      boards,
      '--id-prefix',
      opts.prefix,
      '--module',
      MODULE_PATH,
    ],
    { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  return {
    provisioned: ids.slice(0, opts.provisioned),
    open: ids.slice(opts.provisioned),
    process: child,
    log: () => log,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((r) => child.once('exit', r));
      process.kill(-child.pid!, 'SIGCONT'); // a test may have stopped it
      process.kill(-child.pid!, 'SIGTERM');
      await gone;
    },
  };
}

/** Polls `check` every intervalMs until it holds; fails naming `what` after timeoutMs. */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 120_000, intervalMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
