// The fixed cost of a sweep job, measured in CPU time (not wall time, so it holds on a
// loaded machine): sweeps of R runs at several lengths (default 30, 300, 3000 steps, Iris)
// on a `qiot worker --threads N` process through a real Mosquitto, each side's CPU read
// from /proc (the worker process per thread: its main thread = the MQTT executor, its
// pool threads = the module, the rest = V8's compiler and GC threads) and the MQTT
// messages counted on the sweep client; then a fit per side of CPU per run = c + s·steps,
// weighted for relative error (the long runs fix s, the short ones c). `c` is what a
// sweep pays per job whatever its length: "a run of N steps costs N × s + c".
// `trees` compares source trees (e.g. an old commit's worktree) side by side in one run:
// each tree's worker process and sweep client code are its own.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Mosquitto } from '../host/testing/mosquitto.ts';
import { processCpuS } from './fleet-cpu.ts';

type ClientModule = typeof import('../host/src/fleet/client.ts');
type GridModule = typeof import('../host/src/fleet/sweep-grid.ts');
type OutputModule = typeof import('../host/src/fleet/sweep-output.ts');
type RunModule = typeof import('../host/src/fleet/sweep-run.ts');
type ImageModule = typeof import('../host/src/train/module-target.ts');

/** CPU seconds of one length's sweep, by side. */
export interface SideCpu {
  workerMain: number;
  workerPool: number;
  workerOther: number;
  client: number;
  broker: number | null;
}
export const SIDES = ['workerMain', 'workerPool', 'workerOther', 'client', 'broker'] as const;
export type Side = (typeof SIDES)[number];

export interface LengthFigure {
  steps: number;
  runs: number;
  wallS: number;
  cpuS: SideCpu;
  /** MQTT PUBLISH packets the sweep client sent (commands) and received (replies, statuses, telemetry batches). */
  published: { sent: number; received: number };
}

/** CPU per run = perJobMs + perStepMs · steps, fitted with weights 1/y² (relative error). */
export interface Fit {
  perJobMs: number;
  perStepMs: number;
}

export interface JobCostFigure {
  tree: string;
  threads: number;
  rounds: number;
  /** Per length: the round with the median total CPU. */
  lengths: LengthFigure[];
  fits: Record<Side | 'worker' | 'total' | 'wall', Fit | null>;
  /** Messages per run = perJob + perStep · steps (sent + received by the sweep client). */
  messages: { perJob: number; perStep: number };
}

/** Weighted least squares of y on x with weights 1/y² (multiplicative noise): intercept and slope. */
export function fitLine(points: readonly { x: number; y: number }[]): Fit | null {
  const usable = points.filter((p) => Number.isFinite(p.y) && p.y > 0);
  if (new Set(usable.map((p) => p.x)).size < 2) return null;
  let sw = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (const { x, y } of usable) {
    const w = 1 / (y * y);
    sw += w;
    sx += w * x;
    sy += w * y;
    sxx += w * x * x;
    sxy += w * x * y;
  }
  const slope = (sw * sxy - sx * sy) / (sw * sxx - sx * sx);
  return { perStepMs: slope, perJobMs: (sy - slope * sx) / sw };
}

/** CPU seconds of every thread of a process (/proc/PID/task/TID/stat), by thread id. */
export function threadCpuS(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const fields = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ');
      out.set(Number(tid), (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // the thread ended between listing and reading
    }
  }
  return out;
}

const delta = (a: Map<number, number>, b: Map<number, number>) => new Map([...b].map(([tid, s]) => [tid, s - (a.get(tid) ?? 0)]));

export interface Tree {
  label: string;
  dir: string;
}

/** One sweep length: `runs` runs of `steps` steps. */
export interface Length {
  runs: number;
  steps: number;
}

async function load(dir: string) {
  const m = (p: string) => import(join(dir, p));
  return {
    client: (await m('host/src/fleet/client.ts')) as ClientModule,
    grid: (await m('host/src/fleet/sweep-grid.ts')) as GridModule,
    output: (await m('host/src/fleet/sweep-output.ts')) as OutputModule,
    run: (await m('host/src/fleet/sweep-run.ts')) as RunModule,
    image: (await m('host/src/train/module-target.ts')) as ImageModule,
  };
}

function startWorker(tree: Tree, broker: Mosquitto, threads: number, prefix: string): ChildProcess {
  const child = spawn(
    process.execPath,
    [join(tree.dir, 'host/bin/qiot.js'), 'worker', '--broker', broker.url, '--threads', String(threads), '--id-prefix', prefix],
    { cwd: tree.dir, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  child.once('exit', (code) => {
    if (code !== 0 && code !== null) process.stderr.write(`qiot worker (${tree.label}) exited with ${code}: ${log}\n`);
  });
  return child;
}

interface RawLength extends Omit<LengthFigure, 'cpuS'> {
  threadCpu: Map<number, number>;
  client: number;
  broker: number | null;
}

/** One worker process of `tree` with `threads` threads; a sweep of `runs` runs for each length. */
async function measureOnce(tree: Tree, broker: Mosquitto, threads: number, plan: readonly Length[]): Promise<LengthFigure[]> {
  const mod = await load(tree.dir);
  const image = await mod.image.readModuleImage(join(tree.dir, 'build/qiot.wasm'));
  const base = JSON.parse(readFileSync(join(tree.dir, 'examples/iris-nlr.json'), 'utf8')) as object;
  const prefix = `cost-${tree.label.replace(/[^A-Za-z0-9._:-]/g, '_')}-t${threads}`;
  const worker = startWorker(tree, broker, threads, prefix);
  const exited = new Promise<never>((_, reject) =>
    worker.once('exit', (code) => reject(new Error(`qiot worker (${tree.label}) exited with ${code} before the sweeps ended`))),
  );
  exited.catch(() => undefined);
  const client = await mod.client.FleetClient.connect({ url: broker.url }, 'job-cost', { persistent: true });
  const published = { sent: 0, received: 0 };
  client.mqtt.on('packetsend', (p) => p.cmd === 'publish' && published.sent++);
  client.mqtt.on('packetreceive', (p) => p.cmd === 'publish' && published.received++);
  const dir = mkdtempSync(join(tmpdir(), 'qiot-job-cost-'));
  try {
    await client.watchTelemetry();
    const mine = () => client.online().filter((s) => s.id.startsWith(`${prefix}-`)).length >= threads;
    const online = new Promise<void>((resolve) => {
      const check = () => {
        if (!mine()) return;
        unwatch();
        resolve();
      };
      const unwatch = client.onStatus(check);
      check();
    });
    await Promise.race([online, exited]);
    let n = 0;
    const grid = (steps: number, count: number) =>
      mod.grid.expandSweep({ ...base, steps }, 'iris-nlr.json', { seeds: Array.from({ length: count }, (_, i) => 1 + i), sets: [] });
    const sweep = async (runs: ReturnType<typeof grid>) => {
      const { steps } = runs[0].config;
      const count = runs.length;
      const result = await mod.run.runSweep({
        client,
        runs,
        output: new mod.output.SweepOutput(join(dir, String(++n)), runs, false),
        moduleSha256: image.sha256,
        qiotVersion: 'bench',
        signal: new AbortController().signal,
        waitMs: 120_000,
      });
      if (result.completed !== count)
        throw new Error(`${tree.label}, ${threads} thread(s): ${result.completed}/${count} runs of ${steps} steps completed`);
    };
    // Warm-up: thread start-up (tsx, first module compile) and the hot paths of both processes are not measured.
    await sweep(grid(Math.min(...plan.map((p) => p.steps)), 2 * threads));
    const raw: RawLength[] = [];
    for (const { steps, runs } of plan) {
      const jobs = grid(steps, runs); // the grid is the sweep's set-up, before any run is handed out: not timed
      const t0 = threadCpuS(worker.pid!);
      const c0 = process.cpuUsage();
      const b0 = processCpuS(broker.pid());
      const m0 = { ...published };
      const started = performance.now();
      await sweep(jobs);
      const wallS = (performance.now() - started) / 1000;
      const c = process.cpuUsage(c0);
      const b1 = processCpuS(broker.pid());
      raw.push({
        steps,
        runs,
        wallS,
        threadCpu: delta(t0, threadCpuS(worker.pid!)),
        client: (c.user + c.system) / 1e6,
        broker: b0 === null || b1 === null ? null : b1 - b0,
        published: { sent: published.sent - m0.sent, received: published.received - m0.received },
      });
    }
    // The pool threads are the `threads` threads (other than the main one) that used the most CPU over all lengths.
    const total = new Map<number, number>();
    for (const r of raw) for (const [tid, s] of r.threadCpu) total.set(tid, (total.get(tid) ?? 0) + s);
    const pool = new Set(
      [...total]
        .filter(([tid]) => tid !== worker.pid)
        .sort((a, b) => b[1] - a[1])
        .slice(0, threads)
        .map(([tid]) => tid),
    );
    return raw.map(({ threadCpu, client: clientS, broker: brokerS, ...rest }) => {
      const sum = (pick: (tid: number) => boolean) => [...threadCpu].reduce((a, [tid, s]) => a + (pick(tid) ? s : 0), 0);
      return {
        ...rest,
        cpuS: {
          workerMain: sum((tid) => tid === worker.pid),
          workerPool: sum((tid) => pool.has(tid)),
          workerOther: sum((tid) => tid !== worker.pid && !pool.has(tid)),
          client: clientS,
          broker: brokerS,
        },
      };
    });
  } finally {
    await client.close();
    if (worker.exitCode === null && worker.signalCode === null) {
      const gone = new Promise((r) => worker.once('exit', r));
      worker.kill('SIGTERM');
      await gone;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

const totalCpu = (c: SideCpu) => c.workerMain + c.workerPool + c.workerOther + c.client + (c.broker ?? 0);

/**
 * Rounds interleave trees and thread counts (old 1, new 1, old 2, new 2, …) so a change of the
 * machine's load does not favour one; each length keeps the round with the median total CPU.
 */
export async function measureJobCost(
  broker: Mosquitto,
  trees: readonly Tree[],
  counts: readonly number[],
  plan: readonly Length[],
  rounds: number,
  log: (line: string) => void = () => undefined,
): Promise<JobCostFigure[]> {
  const all = new Map<string, LengthFigure[][]>();
  for (let round = 1; round <= rounds; round++) {
    for (const threads of counts) {
      for (const tree of trees) {
        const figures = await measureOnce(tree, broker, threads, plan);
        const key = `${tree.label}\t${threads}`;
        all.set(key, [...(all.get(key) ?? []), figures]);
        log(
          `job cost round ${round}: ${tree.label}, ${threads} thread(s): ${figures.map((f) => `${f.steps} steps ${((totalCpu(f.cpuS) * 1000) / f.runs).toFixed(1)} ms CPU/run`).join(', ')}`,
        );
      }
    }
  }
  const out: JobCostFigure[] = [];
  for (const [key, perRound] of all) {
    const [tree, threads] = key.split('\t');
    const lengthFigures = plan.map((_, i) => {
      const sorted = perRound.map((r) => r[i]).sort((a, b) => totalCpu(a.cpuS) - totalCpu(b.cpuS));
      return sorted[Math.floor(sorted.length / 2)];
    });
    const fitOf = (y: (f: LengthFigure) => number | null) =>
      fitLine(lengthFigures.map((f) => ({ x: f.steps, y: ((y(f) ?? NaN) * 1000) / f.runs })));
    const msgs = fitLine(lengthFigures.map((f) => ({ x: f.steps, y: (f.published.sent + f.published.received) / f.runs })));
    out.push({
      tree,
      threads: Number(threads),
      rounds,
      lengths: lengthFigures,
      fits: {
        workerMain: fitOf((f) => f.cpuS.workerMain),
        workerPool: fitOf((f) => f.cpuS.workerPool),
        workerOther: fitOf((f) => f.cpuS.workerOther),
        client: fitOf((f) => f.cpuS.client),
        broker: fitOf((f) => f.cpuS.broker),
        worker: fitOf((f) => f.cpuS.workerMain + f.cpuS.workerPool + f.cpuS.workerOther),
        total: fitOf((f) => totalCpu(f.cpuS)),
        wall: fitOf((f) => f.wallS),
      },
      messages: { perJob: msgs?.perJobMs ?? NaN, perStep: msgs?.perStepMs ?? NaN },
    });
  }
  return out;
}
