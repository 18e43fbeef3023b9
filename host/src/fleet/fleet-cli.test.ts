// The fleet end to end, through the CLI as a user runs it, on a real Mosquitto:
// two gateways with two posix boards each and a worker with two threads.
// - a 24-run sweep completes and every run log equals the in-process module's
//   (what `qiot sim` writes) for its config and seed, one checked against `qiot sim` itself;
// - a gateway killed mid-sweep: its run finishes elsewhere, no log partial or duplicated;
// - Ctrl-C a sweep, then --resume: only the missing runs run;
// - broker down, wrong URL, refused credentials, unknown board id: message and exit code.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.ts';
import { MODULE_PATH, QIOT_CLI, qiot, REPO, scratchDir } from '../../testing/harness.ts';
import { readRunLog } from '../runlog/reader.ts';
import { ModuleTarget, readModuleImage } from '../train/module-target.ts';
import { runTraining } from '../train/run.ts';
import { FleetClient } from './client.ts';
import { freePort, startMosquitto, type Mosquitto } from '../../testing/mosquitto.ts';

const GRID = ['--seeds', '1..6', '--optimizers', 'nlr,sgd', '--set', 'optimizer.lr=0.2,0.6']; // 24 runs
const RUNS = 24;

let broker: Mosquitto;
let scratch: ReturnType<typeof scratchDir>;
let client: FleetClient;
let baseConfig: string;
const daemons: ChildProcess[] = [];

/** A long-running qiot command in its own process group (so killing it takes its emulators too). */
function daemon(args: string[]): ChildProcess {
  const child = spawn(process.execPath, [QIOT_CLI, ...args], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  child.stderr!.on('data', () => undefined);
  daemons.push(child);
  return child;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

async function until(what: string, check: () => boolean, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const online = (prefix: string) => client.online().filter((s) => s.id.startsWith(prefix));

function logsIn(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.jsonl') && f !== 'index.jsonl');
}

/** Every run log of DIR is complete and unique, and the index lists each once. */
function checkComplete(dir: string, steps: number): void {
  expect(readdirSync(dir).filter((f) => f.includes('.partial'))).toEqual([]);
  const logs = logsIn(dir);
  expect(logs).toHaveLength(RUNS);
  for (const f of logs) {
    const log = readRunLog(join(dir, f));
    expect(log.summary?.status, f).toBe('completed');
    expect(log.steps.map((s) => s.step)).toEqual(Array.from({ length: steps }, (_, i) => i + 1));
  }
  const index = readFileSync(join(dir, 'index.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { file: string });
  expect(index.map((e) => e.file).sort()).toEqual([...logs].sort());
}

beforeAll(async () => {
  broker = await startMosquitto();
  scratch = scratchDir();
  baseConfig = join(scratch.dir, 'base.json');
  const raw = JSON.parse(readFileSync(join(REPO, 'examples/iris-nlr.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(baseConfig, JSON.stringify({ ...raw, steps: 4 }));
  const b = ['--broker', broker.url];
  daemon(['gateway', ...b, '--board', 'posix:2', '--module', MODULE_PATH, '--id-prefix', 'gwA']);
  daemon(['gateway', ...b, '--board', 'posix:2', '--module', MODULE_PATH, '--id-prefix', 'gwB']);
  daemon(['worker', ...b, '--threads', '2', '--id-prefix', 'wk']);
  client = await FleetClient.connect({ url: broker.url }, 'test');
  await until('6 executors online with the module', () => client.online().filter((s) => s.module_sha256 !== null).length === 6);
}, 180_000);

afterAll(async () => {
  await client?.close();
  for (const d of daemons) killGroup(d, 'SIGTERM');
  await Promise.all(daemons.map((d) => (d.exitCode !== null || d.signalCode !== null ? null : new Promise((r) => d.once('exit', r)))));
  await broker?.stop();
  scratch?.remove();
}, 60_000);

describe('qiot sweep over gateways and workers on Mosquitto', () => {
  it('runs 24 runs on boards and workers; each log equals the in-process module run', async () => {
    const out = join(scratch.dir, 'sweep1');
    const result = await qiot(['sweep', baseConfig, ...GRID, '--out', out, '--broker', broker.url]);
    expect(result.code, result.stderr).toBe(0);
    checkComplete(out, 4);
    const index = readFileSync(join(out, 'index.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { file: string; executor: string });
    expect(new Set(index.map((e) => e.executor.replace(/-\d+$/, '')))).toEqual(new Set(['gwA-posix', 'gwB-posix', 'wk-worker']));

    const image = await readModuleImage(MODULE_PATH);
    for (const f of logsIn(out)) {
      const log = readRunLog(join(out, f));
      const local = await runTraining(new ModuleTarget(image), parseConfig(log.header.config), { qiotVersion: 't', sinks: [] });
      expect(
        log.steps.map((s) => ({ ...s, step_us: undefined })),
        f,
      ).toEqual(local.steps.map((s) => ({ ...s, step_us: undefined })));
      expect({ ...log.summary, wall_time_s: 0 }, f).toEqual({ ...local.summary, wall_time_s: 0 }); // final θ (params) included
      expect(log.header.module_sha256).toBe(image.sha256);
    }

    // One of them against `qiot sim` itself, file to file.
    const board = index.find((e) => e.executor.startsWith('gwA'))!;
    const header = readRunLog(join(out, board.file)).header;
    const cfgFile = join(scratch.dir, 'one.json');
    writeFileSync(cfgFile, JSON.stringify(header.config));
    const sim = await qiot(['sim', '--config', cfgFile, '--out', join(scratch.dir, 'sim.jsonl'), '--no-chart']);
    expect(sim.code, sim.stderr).toBe(0);
    const raws = (path: string) => readRunLog(path).steps.map((s) => s.raw);
    expect(raws(join(out, board.file))).toEqual(raws(join(scratch.dir, 'sim.jsonl')));
  }, 600_000);

  it('finishes the runs of a gateway killed mid-sweep elsewhere, with no partial or duplicate log', async () => {
    const out = join(scratch.dir, 'sweep2');
    const victim = daemons[0]; // gwA
    let killed = false;
    const unwatch = client.onStatus((s) => {
      if (!killed && s.id.startsWith('gwA') && s.state === 'online' && s.busy) {
        killed = true;
        killGroup(victim, 'SIGKILL');
      }
    });
    const result = await qiot(['sweep', baseConfig, ...GRID, '--set', 'layers=2', '--out', out, '--broker', broker.url]);
    unwatch();
    expect(killed).toBe(true);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/gwA-posix-\d went offline .* queued again/);
    checkComplete(out, 4);
    await until('gwA offline', () => online('gwA').length === 0);
  }, 600_000);

  it('keeps finished runs on Ctrl-C, and --resume runs only the missing ones', async () => {
    const out = join(scratch.dir, 'sweep3');
    const args = ['sweep', baseConfig, ...GRID, '--set', 'layers=1', '--out', out, '--broker', broker.url];
    const first = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [QIOT_CLI, ...args], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      let sent = false;
      child.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (!sent && /^\[3\/24\]/m.test(stderr)) {
          sent = true;
          child.kill('SIGINT');
        }
      });
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(first.code, first.stderr).toBe(130);
    const kept = logsIn(out).length;
    expect(kept).toBeGreaterThanOrEqual(3);
    expect(kept).toBeLessThan(RUNS);
    for (const f of logsIn(out)) expect(readRunLog(join(out, f)).summary?.status).toBe('completed');

    const again = await qiot(args);
    expect(again.code, again.stderr).toBe(2); // the folder holds runs: --resume is required
    expect(again.stderr).toMatch(/--resume/);
    const resumed = await qiot([...args, '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`${kept} already in ${out}, ${RUNS - kept} to run`);
    expect(resumed.stderr.match(/^\[\d+\/24\]/gm)).toHaveLength(RUNS - kept);
    checkComplete(out, 4);
  }, 600_000);
});

describe('broker and board errors', () => {
  it('broker down: exit 3 naming the broker', async () => {
    const port = await freePort();
    const r = await qiot(['fleet', 'ls', '--broker', `mqtt://127.0.0.1:${port}`]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`cannot reach the MQTT broker at mqtt://127.0.0.1:${port}`);
  }, 60_000);

  it('a URL that is not a broker URL: exit 2', async () => {
    const r = await qiot(['fleet', 'ls', '--broker', 'http://127.0.0.1:1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unsupported scheme 'http:'");
  }, 60_000);

  it('refused credentials: exit 3, the password never printed; right ones work', async () => {
    const secured = await startMosquitto({ users: { lab: 's3cret-pw' } });
    try {
      const bad = await qiotEnv(['fleet', 'ls', '--broker', secured.url], {
        QIOT_BROKER_USERNAME: 'lab',
        QIOT_BROKER_PASSWORD: 'wrong-pw',
      });
      expect(bad.code).toBe(3);
      expect(bad.stderr).toMatch(/refused the connection: (bad user name or password|not authorised)/);
      expect(bad.stderr).not.toContain('wrong-pw');
      const inUrl = await qiotEnv(['fleet', 'ls', '--broker', secured.url.replace('mqtt://', 'mqtt://lab:wrong-pw@')], {});
      expect(inUrl.code).toBe(3);
      expect(inUrl.stderr).not.toContain('wrong-pw');
      const good = await qiotEnv(['fleet', 'ls', '--broker', secured.url], {
        QIOT_BROKER_USERNAME: 'lab',
        QIOT_BROKER_PASSWORD: 's3cret-pw',
      });
      expect(good.code, good.stderr).toBe(0);
      expect(good.stdout).toContain('no boards or workers');
    } finally {
      await secured.stop();
    }
  }, 120_000);

  it('unknown board id: exit 2 listing the known ones', async () => {
    const r = await qiot(['fleet', 'info', 'no-such-board', '--broker', broker.url]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown board id 'no-such-board'; known: .*gwB-posix-0/);
  }, 60_000);
});

function qiotEnv(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [QIOT_CLI, ...args], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
