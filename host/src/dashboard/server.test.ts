// The dashboard server over real HTTP: assets, run logs (also one being
// written), the token on commands, the loopback Host guard, paths outside --runs.
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRunLog } from '../runlog/reader.ts';
import { CommandError, startDashboard, type Dashboard } from './server.ts';
import { writeSimLogs } from './testing/run-logs.ts';

const assets = new Map([
  ['/', { body: Buffer.from('<html>'), type: 'text/html' }],
  ['/app.js', { body: Buffer.from('//js'), type: 'text/javascript' }],
]);
let dash: Dashboard;
let runsDir: string;
const commands: Record<string, unknown>[] = [];

beforeAll(async () => {
  runsDir = mkdtempSync(join(tmpdir(), 'qiot-dash-runs-'));
  await writeSimLogs(runsDir, { 'a-nlr': { steps: 12 }, 'sweep/sgd-1': { steps: 8, optimizer: 'sgd' } });
  writeFileSync(join(runsDir, 'sweep/index.jsonl'), '{"run":"sgd-1","file":"sgd-1.jsonl"}\n');
  writeFileSync(join(runsDir, 'broken.jsonl'), 'not json\n');
  dash = await startDashboard({
    assets,
    runsDir,
    info: { broker: null },
    backfill: null,
    port: 0,
    commands: async (c) => {
      if (c.board === 'nope') throw new CommandError('unknown board nope', 404);
      commands.push(c);
      return { done: true };
    },
  });
});
afterAll(() => dash.close());

const url = (path: string) => new URL(path, dash.url).toString();

describe('dashboard server', () => {
  it('serves the page and its assets, and 404s anything else', async () => {
    expect(await (await fetch(url('/'))).text()).toBe('<html>');
    expect((await fetch(url('/app.js'))).headers.get('content-type')).toBe('text/javascript');
    expect((await fetch(url('/etc/passwd'))).status).toBe(404);
  });

  it('lists run logs in sub-folders with their optimizer, status and steps', async () => {
    const list = (await (await fetch(url('/api/runs'))).json()) as { id: string; optimizer: string; status: string; steps: number }[];
    const byId = Object.fromEntries(list.map((r) => [r.id, r]));
    expect(byId['a-nlr.jsonl']).toMatchObject({ optimizer: 'nlr', status: 'completed', steps: 12 });
    expect(byId['sweep/sgd-1.jsonl']).toMatchObject({ optimizer: 'sgd', status: 'completed', steps: 8 });
    // A sweep's index is not a run log and is left out; a broken log is listed as such.
    expect(byId['sweep/index.jsonl']).toBeUndefined();
    expect(byId['broken.jsonl']).toMatchObject({ status: 'unreadable' });
  });

  it('returns a run as columns equal to the run log, from any step on', async () => {
    const log = readRunLog(join(runsDir, 'a-nlr.jsonl'));
    const all = await (await fetch(url('/api/run?id=a-nlr.jsonl'))).json();
    expect(all.loss).toEqual(log.steps.map((s) => s.loss));
    expect(all.negative).toEqual(log.steps.map((s) => (s.phase === '-' ? 1 : 0)));
    expect(all.summary).toEqual(log.summary);
    const tail = await (await fetch(url('/api/run?id=a-nlr.jsonl&from=10'))).json();
    expect(tail).toMatchObject({ from: 10, total: 12, step: [11, 12] });
  });

  it('follows a log being written: a torn last line is left for later, the summary is null', async () => {
    const lines = readFileSync(join(runsDir, 'a-nlr.jsonl'), 'utf8').split('\n');
    const partial = join(runsDir, 'partial.jsonl');
    writeFileSync(partial, `${lines.slice(0, 5).join('\n')}\n${lines[5].slice(0, 20)}`);
    const first = await (await fetch(url('/api/run?id=partial.jsonl'))).json();
    expect(first).toMatchObject({ total: 4, summary: null });
    appendFileSync(partial, `${lines[5].slice(20)}\n`);
    const next = await (await fetch(url('/api/run?id=partial.jsonl&from=4'))).json();
    expect(next).toMatchObject({ from: 4, total: 5, step: [5] });
    const listed = (await (await fetch(url('/api/runs'))).json()) as { id: string; status: string }[];
    expect(listed.find((r) => r.id === 'partial.jsonl')?.status).toBe('live');
  });

  it('refuses ids outside the runs directory', async () => {
    for (const id of ['../x.jsonl', '/etc/x.jsonl', 'a/../../x.jsonl', 'a-nlr.json']) {
      expect((await fetch(url(`/api/run?id=${encodeURIComponent(id)}`))).status).toBe(404);
    }
  });

  it('runs a command only with the token, and passes the handler’s errors on', async () => {
    const post = (body: unknown, token?: string) =>
      fetch(url('/api/command'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
    expect((await post({ op: 'stop', board: 'b1' })).status).toBe(401);
    expect((await post({ op: 'stop', board: 'b1' }, `${dash.token}x`)).status).toBe(401);
    expect(commands).toEqual([]);
    const ok = await post({ op: 'stop', board: 'b1' }, dash.token);
    expect(ok.status).toBe(200);
    expect(commands).toEqual([{ op: 'stop', board: 'b1' }]);
    const bad = await post({ op: 'stop', board: 'nope' }, dash.token);
    expect(bad.status).toBe(404);
    expect((await bad.json()).error).toBe('unknown board nope');
  });

  it('answers only requests addressed to a loopback name (DNS rebinding)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const u = new URL(dash.url);
      request({ host: u.hostname, port: u.port, path: '/api/runs', headers: { host: 'evil.example:80' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });
    expect(status).toBe(403);
  });
});
