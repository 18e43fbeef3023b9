// `qiot dashboard` as a user runs it: --help, bad options (exit 2), a broker that
// is not there (exit 3), and a non-loopback bind that prints a warning, serves
// the page and stops cleanly on SIGINT.
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedBroker, type EmbeddedBroker } from '../fleet/broker.ts';
import { qiot } from '../../testing/harness.ts';

let broker: EmbeddedBroker;
beforeAll(async () => {
  broker = await startEmbeddedBroker(0, 0);
});
afterAll(() => broker?.close());

/** A loopback port nothing listens on (bound, then released). */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe('qiot dashboard', () => {
  it('explains itself and refuses bad options with exit 2, an unreachable broker with exit 3', async () => {
    const dead = await deadPort();
    const [help, runs, port, noWs, down] = await Promise.all([
      qiot(['dashboard', '--help']),
      qiot(['dashboard', '--runs', '/nonexistent/runs', '--broker', broker.wsUrl]),
      qiot(['dashboard', '--port', '70000']),
      qiot(['dashboard', '--broker', broker.url]),
      qiot(['dashboard', '--broker', `mqtt://127.0.0.1:${dead}`, '--broker-ws', `ws://127.0.0.1:${dead}`]),
    ]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--runs <dir>');
    expect(help.stdout).toContain('token');
    expect([runs.code, runs.stderr.trim()]).toEqual([2, 'qiot: --runs: no such directory: /nonexistent/runs']);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain("--port must be 0..65535, got '70000'");
    expect(noWs.code).toBe(2);
    expect(noWs.stderr).toContain('--broker-ws');
    expect(down.code).toBe(3);
    expect(down.stderr).toContain(`127.0.0.1:${dead}`);
  });

  it('binds elsewhere only when asked, with a warning; serves the page; ends on SIGINT', async () => {
    let page = '';
    const out = await qiot(['dashboard', '--host', '0.0.0.0', '--port', '0', '--broker', broker.wsUrl], (line, child) => {
      const m = /^dashboard: (http:\/\/\S+)#token=(\S+)$/.exec(line);
      if (!m) return;
      const port = new URL(m[1]).port;
      fetch(`http://127.0.0.1:${port}/`)
        .then((res) => res.text())
        .then((text) => (page = text))
        .finally(() => child.kill('SIGINT'));
    });
    expect(out.stderr).toContain('WARNING: listening on 0.0.0.0, not loopback');
    expect(out.stdout).toMatch(/^dashboard: http:\/\/0\.0\.0\.0:\d+\/#token=[A-Za-z0-9_-]{43}$/m);
    expect(page).toContain('<title>qiot dashboard</title>');
    expect(out.code).toBe(0);
  });
});
