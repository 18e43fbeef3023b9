// `qiot sweep --key` on a real Mosquitto (docs/fleet.md "Security end to end"): a keyless
// `qiot gateway` in front of one provisioned and one open posix board.
// - with the key, a sweep uses the provisioned board (sealed runs), the open board and a
//   worker thread alike; every run log equals the in-process module's run, one also `qiot sim`'s;
// - without it the provisioned board is left out with a note (the others run everything), and
//   when it is the only executor left the sweep exits 3 naming the missing key;
// - with a stranger's key the board refuses (UNAUTHENTICATED): exit 1, nothing written, and
//   `--resume` with the right key then runs every run on it, equal to the in-process runs;
// - Ctrl-C: the run on the provisioned board is stopped by a sealed stop, nothing is written;
// - a relayed run on the provisioned board loses no record while the gateway stalls long enough
//   for the board's 64-record ring to fill: the board pauses (TELEMETRY_ACK is open, so the
//   keyless gateway acknowledges) instead of overwriting.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../config/load.ts';
import { readRunLog } from '../runlog/reader.ts';
import { generateSigningKey, writeNewKeyFile } from '../security/keys.ts';
import { ModuleTarget, readModuleImage, type ModuleImage } from '../train/module-target.ts';
import { runTraining } from '../train/run.ts';
import { MODULE_PATH, QIOT_CLI, qiot, readModule, REPO, scratchDir } from '../../testing/harness.ts';
import { startKeylessGateway, until, type KeylessGateway } from '../../testing/keyless-gateway.ts';
import { startMosquitto, type Mosquitto } from '../../testing/mosquitto.ts';
import { variantModule } from '../../testing/tiny-module.ts';
import { CommandSealer } from './auth.ts';
import { FleetClient } from './client.ts';
import { RemoteTarget } from './remote-target.ts';

const key = generateSigningKey();
let broker: Mosquitto;
let scratch: ReturnType<typeof scratchDir>;
let gateway: KeylessGateway;
let client: FleetClient;
let image: ModuleImage;
let keyFile: string;
let strangerFile: string;
let baseConfig: string;
let SEALED: string;
let OPEN: string;

const b = () => ['--broker', broker.url];
const logsIn = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.jsonl') && f !== 'index.jsonl');
const indexOf = (dir: string) =>
  readFileSync(join(dir, 'index.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { file: string; executor: string; status: string });

/** Every run log in DIR completed and equals the in-process module's run of its header config, step by step and in its summary. */
async function checkAgainstModule(dir: string, runs: number): Promise<void> {
  expect(logsIn(dir)).toHaveLength(runs);
  for (const f of logsIn(dir)) {
    const log = readRunLog(join(dir, f));
    expect(log.summary?.status, f).toBe('completed');
    const local = await runTraining(new ModuleTarget(image), parseConfig(log.header.config), { qiotVersion: 't', sinks: [] });
    expect(
      log.steps.map((s) => ({ ...s, step_us: undefined })),
      f,
    ).toEqual(local.steps.map((s) => ({ ...s, step_us: undefined })));
    expect({ ...log.summary, wall_time_s: 0 }, f).toEqual({ ...local.summary, wall_time_s: 0 });
  }
}

beforeAll(async () => {
  broker = await startMosquitto();
  scratch = scratchDir();
  keyFile = join(scratch.dir, 'owner.pem');
  strangerFile = join(scratch.dir, 'stranger.pem');
  await writeNewKeyFile(keyFile, key);
  await writeNewKeyFile(strangerFile, generateSigningKey());
  baseConfig = join(scratch.dir, 'base.json');
  const raw = JSON.parse(readFileSync(join(REPO, 'examples/iris-nlr.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(baseConfig, JSON.stringify({ ...raw, steps: 4 }));
  image = await readModuleImage(MODULE_PATH);
  gateway = await startKeylessGateway({ brokerUrl: broker.url, dir: scratch.dir, prefix: 'sk', key, provisioned: 1, open: 1 });
  [SEALED, OPEN] = [gateway.provisioned[0], gateway.open[0]];
  client = await FleetClient.connect({ url: broker.url }, 'test');
  await client.watchTelemetry();
  await until('both boards online with the module', () => client.online().filter((s) => s.module_sha256 === image.sha256).length === 2);
  expect(client.online().find((s) => s.id === SEALED)?.provisioned).toBe(true);
  expect(client.online().find((s) => s.id === OPEN)?.provisioned).toBeUndefined();
}, 180_000);

afterAll(async () => {
  await client?.close();
  await gateway?.stop();
  await broker?.stop();
  scratch?.remove();
}, 60_000);

describe('qiot sweep --key over a keyless gateway on Mosquitto', () => {
  it('with the key: runs on the provisioned board, the open board and a worker; each log equals the in-process run', async () => {
    const out = join(scratch.dir, 'mixed');
    const r = await qiot(['sweep', baseConfig, '--seeds', '1..8', '--out', out, '--threads', '1', '--key', keyFile, ...b()]);
    expect(r.code, r.stderr).toBe(0);
    const executors = new Set(indexOf(out).map((e) => e.executor));
    expect(executors.has(SEALED), r.stderr).toBe(true);
    expect(executors.has(OPEN), r.stderr).toBe(true);
    expect(
      [...executors].some((e) => e.includes('-sweep')),
      r.stderr,
    ).toBe(true); // the worker thread of the sweep
    await checkAgainstModule(out, 8);

    // A run of the provisioned board against `qiot sim` itself, file to file.
    const sealed = indexOf(out).find((e) => e.executor === SEALED)!;
    const cfgFile = join(scratch.dir, 'one.json');
    writeFileSync(cfgFile, JSON.stringify(readRunLog(join(out, sealed.file)).header.config));
    const sim = await qiot(['sim', '--config', cfgFile, '--out', join(scratch.dir, 'sim.jsonl'), '--no-chart']);
    expect(sim.code, sim.stderr).toBe(0);
    const raws = (path: string) => readRunLog(path).steps.map((s) => s.raw);
    expect(raws(join(out, sealed.file))).toEqual(raws(join(scratch.dir, 'sim.jsonl')));
  }, 300_000);

  it('without the key: the provisioned board is left out with a note, the open board runs everything', async () => {
    const out = join(scratch.dir, 'nokey');
    const r = await qiot(['sweep', baseConfig, '--seeds', '1..3', '--out', out, ...b()]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      `${SEALED} is a provisioned board (it obeys only commands sealed with its owner's key) and this sweep has no key: not used`,
    );
    expect(indexOf(out).map((e) => e.executor)).toEqual([OPEN, OPEN, OPEN]);
    const ls = await qiot(['fleet', 'ls', ...b()]);
    expect(ls.stdout).toMatch(new RegExp(`^${SEALED}  [^\n]* \\(provisioned: --key\\)  `, 'm'));
    expect(ls.stdout).not.toMatch(new RegExp(`^${OPEN} [^\n]*provisioned`, 'm'));
  }, 180_000);

  it('the provisioned board alone: no key → exit 3 naming it; a wrong key → exit 1, UNAUTHENTICATED, nothing written; then --resume with the key', async () => {
    // The open board now runs another module: only the provisioned board has the sweep's.
    const variant = join(scratch.dir, 'variant.wasm');
    writeFileSync(variant, variantModule(readModule(), 'sweep-auth', 200));
    expect((await qiot(['fleet', 'flash', variant, OPEN, ...b()])).code).toBe(0);
    await until('the open board on the other module', () => client.online().some((s) => s.id === OPEN && s.module_sha256 !== image.sha256));
    const out = join(scratch.dir, 'alone');
    const grid = [baseConfig, '--seeds', '1..3', '--out', out, ...b()];

    const nokey = await qiot(['sweep', ...grid, '--wait', '3']);
    expect(nokey.code, nokey.stderr).toBe(3);
    expect(nokey.stderr).toMatch(
      /no executor took a run for 3 s: .*1 executors with the sweep's module [0-9a-f]{12} \(1 of them provisioned board\(s\), not used without the key: --key or \$QIOT_KEY\)/,
    );

    const wrong = await qiot(['sweep', ...grid, '--key', strangerFile]);
    expect(wrong.code, wrong.stderr).toBe(1);
    expect(wrong.stderr).toMatch(
      new RegExp(`${SEALED} refused this sweep's key \\(board refused CONFIG: UNAUTHENTICATED — authentication tag does not match`),
    );
    expect(wrong.stderr).toMatch(/3 run\(s\) not run: .* and no other executor can take them; nothing was written for them/);
    expect(readdirSync(out)).toEqual([]); // no run log, no index, no temporary file

    const right = await qiot(['sweep', ...grid, '--resume'], undefined, { env: { QIOT_KEY: keyFile } });
    expect(right.code, right.stderr).toBe(0);
    expect(indexOf(out).map((e) => e.executor)).toEqual([SEALED, SEALED, SEALED]);
    await checkAgainstModule(out, 3);
  }, 300_000);

  it('Ctrl-C stops a run on the provisioned board with a sealed stop: exit 130, nothing written, the board idle', async () => {
    const out = join(scratch.dir, 'interrupted');
    const long = join(scratch.dir, 'long.json');
    writeFileSync(long, JSON.stringify({ ...JSON.parse(readFileSync(baseConfig, 'utf8')), steps: 20_000 }));
    const child = spawn(process.execPath, [QIOT_CLI, 'sweep', long, '--seeds', '1..2', '--out', out, '--key', keyFile, ...b()], {
      cwd: REPO,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      await until('the board running a sweep run', () => client.online().some((s) => s.id === SEALED && s.busy !== null));
      child.kill('SIGINT');
      // Bounded only so that a stop the board refused (the run going on) fails here, not at the test's timeout.
      const code = await Promise.race([
        exited,
        new Promise<string>((r) => setTimeout(() => r('still running after 120 s'), 120_000).unref()),
      ]);
      expect(code, stderr).toBe(130);
    } finally {
      child.kill('SIGKILL');
    }
    expect(stderr).not.toMatch(/UNAUTHENTICATED/);
    expect(readdirSync(out)).toEqual([]); // an interrupted run is not written: --resume runs it
    await until('the board idle again', () => client.online().some((s) => s.id === SEALED && s.busy === null));
  }, 300_000);

  it('a relayed run on the provisioned board loses no record while the gateway stalls past a full ring', async () => {
    const steps = 400;
    const cfg = loadConfig(baseConfig, { steps });
    let received = 0;
    let stalled: Promise<number> | null = null;
    const unwatch = client.onTelemetry((id) => {
      if (id !== SEALED) return;
      received++;
      // Stop the gateway (not its boards) at the first record: the board goes on with nobody reading or acknowledging.
      stalled ??= stallUntilPaused(gateway.process.pid!);
    });
    try {
      const run = runTraining(new RemoteTarget(client, SEALED, { sealer: new CommandSealer(client, key) }), cfg, {
        qiotVersion: 't',
        sinks: [],
      });
      await until('the stall', () => stalled !== null);
      const atResume = await stalled!;
      expect(atResume).toBeLessThan(steps); // the run was still under way when the board paused
      // Bounded only so that a run that never ends fails here instead of at the test's timeout.
      const remote = await Promise.race([
        run,
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('the run did not end within 120 s of the stall')), 120_000).unref(),
        ),
      ]);
      expect(remote.summary.status, remote.summary.error).toBe('completed');
      const local = await runTraining(new ModuleTarget(image), cfg, { qiotVersion: 't', sinks: [] });
      expect(remote.steps.map((s) => s.raw)).toEqual(local.steps.map((s) => s.raw));
      expect(received).toBeGreaterThanOrEqual(steps);
    } finally {
      unwatch();
      process.kill(gateway.process.pid!, 'SIGCONT');
    }

    /** SIGSTOPs the gateway, waits until its boards use no CPU (the running one paused on its full ring), SIGCONTs it; the records received by then. */
    async function stallUntilPaused(pid: number): Promise<number> {
      process.kill(pid, 'SIGSTOP');
      await until(
        'the board paused (its CPU time flat for 1 s)',
        (() => {
          const seen: number[] = [];
          return () => {
            seen.push(descendantsCpuTicks(pid));
            return seen.length >= 5 && seen.at(-1)! - seen.at(-5)! <= 1 && seen.at(-1)! > seen[0];
          };
        })(),
        60_000,
        250,
      );
      const at = received;
      process.kill(pid, 'SIGCONT');
      return at;
    }
  }, 300_000);
});

/** utime + stime (clock ticks) of every process below `pid` (the gateway's emulated boards and their supervisors). */
function descendantsCpuTicks(pid: number): number {
  const stats = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      try {
        // Fields after the ")" that ends the command name: state ppid … utime(14) stime(15), counted from pid(1).
        const text = readFileSync(`/proc/${d}/stat`, 'utf8');
        const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
        return [{ pid: Number(d), ppid: Number(f[1]), cpu: Number(f[11]) + Number(f[12]) }];
      } catch {
        return []; // gone meanwhile
      }
    });
  const below = new Set([pid]);
  let total = 0;
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of stats)
      if (!below.has(s.pid) && below.has(s.ppid)) {
        below.add(s.pid);
        total += s.cpu;
        grew = true;
      }
  }
  return total;
}
