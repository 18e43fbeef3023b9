// The sweep half of the fleet bench (bench/fleet-bench.ts): a sweep of R runs × S steps
// (Iris, 4 qubits, 3 layers) on 1, 2, 4 worker threads of a `qiot worker` process, the
// sweep client in this process, through a real Mosquitto. Thread counts interleave over
// rounds and each keeps its median; the CPU each side used is read from /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QIOT_CLI } from '../host/testing/harness.ts';
import type { Mosquitto } from '../host/testing/mosquitto.ts';
import { FleetClient } from '../host/src/fleet/client.ts';
import { expandSweep } from '../host/src/fleet/sweep-grid.ts';
import { SweepOutput } from '../host/src/fleet/sweep-output.ts';
import { runSweep } from '../host/src/fleet/sweep-run.ts';
import { readModuleImage } from '../host/src/train/module-target.ts';
import { machineIdleS, processCpuS } from './fleet-cpu.ts';

const REPO = fileURLToPath(new URL('..', import.meta.url));

export interface SweepFigure {
  threads: number;
  runs: number;
  steps: number;
  seconds: number;
  runsPerMin: number;
  stepsPerS: number;
  /** Cores used during the timed sweep (CPU time ÷ wall time): the worker process (its threads), the sweep client, Mosquitto, and the machine's idle. */
  cores: { worker: number | null; client: number; broker: number | null; idle: number };
  speedup: number;
  /** T1 / (min(N, cores) · TN). */
  efficiency: number;
}

type Timed = Omit<SweepFigure, 'speedup' | 'efficiency'>;

/** A `qiot worker --threads N` process on the broker: the executors live in another process than the sweep client, as on a real fleet. */
function startWorkers(broker: Mosquitto, threads: number, prefix: string): ChildProcess {
  const child = spawn(process.execPath, [QIOT_CLI, 'worker', '--broker', broker.url, '--threads', String(threads), '--id-prefix', prefix], {
    cwd: REPO,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  child.once('exit', (code) => {
    if (code !== 0 && code !== null) process.stderr.write(`qiot worker exited with ${code}: ${log}\n`);
  });
  return child;
}

async function sweepOnce(broker: Mosquitto, threads: number, runs: number, steps: number): Promise<Timed> {
  const image = await readModuleImage(join(REPO, 'build/qiot.wasm'));
  const raw = { ...(JSON.parse(readFileSync(join(REPO, 'examples/iris-nlr.json'), 'utf8')) as object), steps };
  const grid = expandSweep(raw, 'iris-nlr.json', { seeds: Array.from({ length: runs }, (_, i) => i + 1), sets: [] });
  const dir = mkdtempSync(join(tmpdir(), 'qiot-fleet-bench-'));
  const prefix = `bench-t${threads}`;
  const workers = startWorkers(broker, threads, prefix);
  const client = await FleetClient.connect({ url: broker.url }, 'bench-sweep', { persistent: true });
  await client.watchTelemetry();
  const mine = () => client.online().filter((s) => s.id.startsWith(`${prefix}-`));
  await new Promise<void>((resolve) => {
    const unwatch = client.onStatus(() => {
      if (mine().length < threads) return;
      unwatch();
      resolve();
    });
    if (mine().length >= threads) {
      unwatch();
      resolve();
    }
  });
  const sweep = (runs: typeof grid, out: string) =>
    runSweep({
      client,
      runs,
      output: new SweepOutput(out, runs, false),
      moduleSha256: image.sha256,
      qiotVersion: 'bench',
      signal: new AbortController().signal,
      waitMs: 60_000,
    });
  // Warm-up: one 1-step run per thread, so thread start-up (tsx, module compile) is not timed.
  const warm = expandSweep({ ...raw, steps: 1 }, 'warm-up', { seeds: Array.from({ length: threads }, (_, i) => 1000 + i), sets: [] });
  await sweep(warm, join(dir, 'warm-up'));
  const cpu0 = { worker: processCpuS(workers.pid), client: process.cpuUsage(), broker: processCpuS(broker.pid()), idle: machineIdleS() };
  const started = performance.now();
  const result = await sweep(grid, join(dir, 'timed'));
  const seconds = (performance.now() - started) / 1000;
  const worker1 = processCpuS(workers.pid);
  const broker1 = processCpuS(broker.pid());
  const client1 = process.cpuUsage(cpu0.client);
  const idle = (machineIdleS() - cpu0.idle) / seconds;
  if (result.completed !== runs) throw new Error(`sweep with ${threads} thread(s): ${result.completed}/${runs} runs completed`);
  await client.close();
  const exited = new Promise((r) => workers.once('exit', r));
  workers.kill('SIGTERM');
  await exited;
  rmSync(dir, { recursive: true, force: true });
  const share = (a: number | null, b: number | null) => (a === null || b === null ? null : (b - a) / seconds);
  return {
    threads,
    runs,
    steps,
    seconds,
    runsPerMin: (runs / seconds) * 60,
    stepsPerS: (runs * steps) / seconds,
    cores: {
      worker: share(cpu0.worker, worker1),
      client: (client1.user + client1.system) / 1e6 / seconds,
      broker: share(cpu0.broker, broker1),
      idle,
    },
  };
}

/**
 * Rounds interleave the thread counts (1,2,4,1,2,4,…) and each count keeps its median, so a
 * change of the machine's load during the bench (shared machines) does not favour one count.
 * Speed-up and efficiency are against the first count (1 thread).
 */
export async function measureSweeps(
  broker: Mosquitto,
  counts: number[],
  rounds: number,
  runs: number,
  steps: number,
  cores: number,
): Promise<SweepFigure[]> {
  const timed = new Map<number, Timed[]>(counts.map((t) => [t, []]));
  for (let round = 1; round <= rounds; round++) {
    for (const t of counts) {
      const f = await sweepOnce(broker, t, runs, steps);
      timed.get(t)!.push(f);
      process.stderr.write(`${runs}×${steps} round ${round}: ${t} thread(s) ${f.seconds.toFixed(1)} s (load ${loadavg()[0].toFixed(1)})\n`);
    }
  }
  const out: SweepFigure[] = [];
  for (const t of counts) {
    const figures = timed.get(t)!.sort((a, b) => a.seconds - b.seconds);
    const f = figures[Math.floor(figures.length / 2)];
    const base = out[0] ?? f;
    const speedup = base.seconds / f.seconds;
    out.push({ ...f, speedup, efficiency: speedup / Math.min(t, cores) });
  }
  return out;
}
