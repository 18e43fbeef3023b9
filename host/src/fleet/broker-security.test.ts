// The fleet on a Mosquitto with TLS (a test CA made by openssl at test time) and
// with docs/fleet.md's ACL file, read from the document itself, enforced:
// executors and operators work through it, and a gateway's connection cannot
// publish under another gateway's boards nor send commands.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO, qiot, scratchDir } from '../../testing/harness.ts';
import { startMosquitto, type Mosquitto } from '../../testing/mosquitto.ts';
import { brokerSettings, BrokerError, type BrokerSettings } from './broker.ts';
import { FleetClient } from './client.ts';
import { Executor, type ExecutorBackend } from './executor.ts';

const backend: ExecutorBackend = {
  kind: 'worker',
  identity: () => ({ target: { kind: 'node' }, moduleSha256: 'b'.repeat(64), abiVersion: 1 }),
  info: async () => ({ answered: true }),
  flash: async () => ({ sha256: '', committed: false }),
  target: () => {
    throw new Error('not used');
  },
};

const brokers: Mosquitto[] = [];
const closers: (() => Promise<unknown>)[] = [];
const scratch = scratchDir();

afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  for (const b of brokers) await b.stop();
  scratch.remove();
});

async function online(client: FleetClient, id: string): Promise<void> {
  while (client.statuses.get(id)?.state !== 'online') await new Promise((r) => setTimeout(r, 20));
}

describe('TLS (mqtts://) with a CA from the broker config file', () => {
  it('works with the CA, and without it fails naming the broker (exit 3 from the CLI)', async () => {
    const broker = await startMosquitto({ tls: true });
    brokers.push(broker);
    const file = join(scratch.dir, 'broker.json');
    writeFileSync(file, JSON.stringify({ url: broker.tlsUrl, ca: broker.caPath }));
    const settings = brokerSettings({ brokerConfig: file }, {}) as BrokerSettings;
    expect(settings.ca).toContain('BEGIN CERTIFICATE');

    const executor = await Executor.start(settings, backend, { id: 'tls-worker-0' });
    closers.push(() => executor.close());
    const client = await FleetClient.connect(settings, 'test');
    closers.push(() => client.close());
    await online(client, 'tls-worker-0');
    expect(await client.call('tls-worker-0', 'info', {})).toMatchObject({ answered: true, id: 'tls-worker-0' });

    const untrusted = FleetClient.connect({ url: broker.tlsUrl! }, 'test');
    await expect(untrusted).rejects.toBeInstanceOf(BrokerError);
    await expect(untrusted).rejects.toThrow(new RegExp(`cannot reach the MQTT broker at ${broker.tlsUrl}: .*certificate`));

    const ls = await qiot(['fleet', 'ls', '--broker-config', file]);
    expect(ls.code, ls.stderr).toBe(0);
    expect(ls.stdout).toMatch(/^tls-worker-0 {2}worker/m);
    const refused = await qiot(['fleet', 'ls', '--broker', broker.tlsUrl!]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/certificate/);
  }, 120_000);
});

/** The ACL file of docs/fleet.md, as printed there (indented code block after "# /etc/mosquitto/acl"). */
function documentedAcl(): string {
  const doc = readFileSync(join(REPO, 'docs/fleet.md'), 'utf8').split('\n');
  const start = doc.findIndex((l) => l.startsWith('    # /etc/mosquitto/acl'));
  expect(start).toBeGreaterThan(0);
  const lines: string[] = [];
  for (const l of doc.slice(start)) {
    if (!l.startsWith('    ')) break;
    lines.push(l.slice(4));
  }
  return `${lines.join('\n')}\n`;
}

describe("docs/fleet.md's Mosquitto ACL, enforced", () => {
  it('lets executors and operators work, and stops a gateway publishing under other boards or sending commands', async () => {
    const users = { lab1: 'lab1-secret', lab2: 'lab2-secret', ops: 'ops-secret' };
    const broker = await startMosquitto({ users, acl: documentedAcl() });
    brokers.push(broker);
    const as = (user: keyof typeof users): BrokerSettings => ({ url: broker.url, username: user, password: users[user] });

    // The fleet through the ACL: lab1's board answers ops' command.
    const executor = await Executor.start(as('lab1'), backend, { id: 'lab1-posix-0' });
    closers.push(() => executor.close());
    const ops = await FleetClient.connect(as('ops'), 'fleet');
    closers.push(() => ops.close());
    await online(ops, 'lab1-posix-0');
    expect(await ops.call('lab1-posix-0', 'info', {})).toMatchObject({ answered: true });

    // Everything published under qiot/v1/, as ops sees it.
    const seen: string[] = [];
    ops.mqtt.on('message', (topic) => seen.push(topic));
    await ops.mqtt.subscribeAsync('qiot/v1/#', { qos: 1 });

    // A connection of gateway lab1 (as its board lab1-posix-1) tries another gateway's board and a command.
    const rogue = await mqtt.connectAsync(broker.url, {
      protocolVersion: 4,
      clientId: 'lab1-posix-1',
      username: 'lab1',
      password: users.lab1,
    });
    closers.push(() => rogue.endAsync());
    const forged = { v: 1, id: 'lab2-posix-0', state: 'offline', reason: 'forged' };
    await rogue.publishAsync('qiot/v1/lab2-posix-0/status', JSON.stringify(forged), { qos: 1, retain: true });
    await rogue.publishAsync('qiot/v1/lab2-posix-0/telemetry', Buffer.alloc(80), { qos: 1 });
    await rogue.publishAsync('qiot/v1/lab1-posix-0/cmd', JSON.stringify({ v: 1, op: 'stop', corr: 'x', reply: 'r', args: {} }), { qos: 1 });
    // …then its own topic: once that arrives, whatever was let through before it has arrived too (one connection, in order).
    await rogue.publishAsync('qiot/v1/lab1-posix-1/log', 'own topic', { qos: 1 });
    while (!seen.includes('qiot/v1/lab1-posix-1/log')) await new Promise((r) => setTimeout(r, 20));
    expect(seen.filter((t) => t.includes('lab2-posix-0') || t.endsWith('/cmd'))).toEqual([]);
    expect(ops.statuses.has('lab2-posix-0')).toBe(false);
  }, 120_000);
});
