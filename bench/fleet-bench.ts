// Fleet benchmark (make bench-fleet, part of make bench; a script, not a test),
// on a real Mosquitto started from host/testing/mosquitto.conf:
//   1. sweep throughput with 1, 2, 4 worker threads (runs/min, steps/s, parallel
//      efficiency = speed-up / min(threads, cores)); the threads run in a `qiot worker`
//      process, the sweep client in this one, as on a real fleet;
//   2. N light fake boards (default 1000) spread over --procs processes (default 4),
//      publishing 80-byte telemetry at 10 Hz (QoS 1) for S seconds (default 60), one
//      subscriber in this process: records lost (by per-board sequence),
//      board→subscriber latency percentiles, messages/s.
// Results: bench/fleet-results.json and a Markdown table on stdout (docs/fleet.md quotes them).
// Usage: npx tsx bench/fleet-bench.ts [--boards 1000] [--seconds 60] [--procs 4] [--qos 1] [--threads 1,2,4] [--runs 16] [--steps 300]
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { QIOT_CLI } from '../host/testing/harness.ts';
import { startMosquitto, type Mosquitto } from '../host/testing/mosquitto.ts';
import { FleetClient } from '../host/src/fleet/client.ts';
import { expandSweep } from '../host/src/fleet/sweep-grid.ts';
import { SweepOutput } from '../host/src/fleet/sweep-output.ts';
import { runSweep } from '../host/src/fleet/sweep-run.ts';
import { topics } from '../host/src/fleet/topics.ts';
import { readModuleImage } from '../host/src/train/module-target.ts';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

const REPO = fileURLToPath(new URL('..', import.meta.url));

interface SweepFigure {
  threads: number;
  runs: number;
  steps: number;
  seconds: number;
  runsPerMin: number;
  stepsPerS: number;
  speedup: number;
  efficiency: number;
}

/** A `qiot worker --threads N` process on the broker: the executors live in another process than the sweep client, as on a real fleet. */
async function startWorkers(broker: Mosquitto, threads: number, prefix: string): Promise<ChildProcess> {
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

async function sweepThroughput(
  broker: Mosquitto,
  threads: number,
  runs: number,
  steps: number,
): Promise<Omit<SweepFigure, 'speedup' | 'efficiency'>> {
  const image = await readModuleImage(join(REPO, 'build/qiot.wasm'));
  const raw = { ...(JSON.parse(readFileSync(join(REPO, 'examples/iris-nlr.json'), 'utf8')) as object), steps };
  const grid = expandSweep(raw, 'iris-nlr.json', { seeds: Array.from({ length: runs }, (_, i) => i + 1), sets: [] });
  const dir = mkdtempSync(join(tmpdir(), 'qiot-fleet-bench-'));
  const prefix = `bench-t${threads}`;
  const workers = await startWorkers(broker, threads, prefix);
  const client = await FleetClient.connect({ url: broker.url }, 'bench-sweep', { persistent: true });
  await client.watchTelemetry();
  const mine = () => client.online().filter((s) => s.id.startsWith(`${prefix}-`));
  while (mine().length < threads) await new Promise((r) => setTimeout(r, 50));
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
  const started = performance.now();
  const result = await sweep(grid, join(dir, 'timed'));
  const seconds = (performance.now() - started) / 1000;
  if (result.completed !== runs) throw new Error(`sweep with ${threads} thread(s): ${result.completed}/${runs} runs completed`);
  await client.close();
  const exited = new Promise((r) => workers.once('exit', r));
  workers.kill('SIGTERM');
  await exited;
  rmSync(dir, { recursive: true, force: true });
  return { threads, runs, steps, seconds, runsPerMin: (runs / seconds) * 60, stepsPerS: (runs * steps) / seconds };
}

interface FleetFigure {
  boards: number;
  procs: number;
  qos: number;
  hz: number;
  seconds: number;
  sent: number;
  received: number;
  lost: number;
  duplicates: number;
  /** Times the subscriber's connection was re-established (QoS 1 redelivery then brings duplicates). */
  reconnects: number;
  msgsPerS: number;
  sentPerS: number;
  /** Latency from each record's scheduled send time to its arrival at the subscriber. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** p99 latency of the records scheduled in each 5 s window: a steady tail or a burst. */
  p99ByWindowMs: number[];
  /** How late the fake boards' timers published (worst process): part of the latency above. */
  publisherLagMs: { p50: number; p99: number; max: number };
  subscriberCpuUsPerMsg: number;
  publisherCpuUsPerMsg: number;
  brokerCpuUsPerMsg: number | null;
  /** Cores used during the run (CPU time ÷ wall time) by each side, and what the machine had idle. */
  cores: { publishers: number; broker: number | null; subscriber: number; idle: number };
}

const quantile = (sorted: Float64Array, q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/** CPU seconds a process used so far (utime + stime in /proc/PID/stat), null if it cannot be read. */
function processCpuS(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

/** Idle CPU seconds of the whole machine so far (/proc/stat idle + iowait), summed over cores. */
function machineIdleS(): number {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
  return (cpu[3] + cpu[4]) / 100;
}

/** A child process playing `count` fake boards (bench/fleet-fake-boards.ts). */
function fakeBoards(url: string, from: number, count: number, hz: number, seconds: number, qos: number) {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(REPO, 'bench/fleet-fake-boards.ts'),
      url,
      String(from),
      String(count),
      String(hz),
      String(seconds),
      String(qos),
    ],
    { cwd: REPO, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout! });
  const next = () =>
    new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      child.once('exit', (code) => reject(new Error(`fake-board process exited with ${code}`)));
    });
  const ready = next();
  return {
    ready,
    go: () => {
      const result = next().then((line) => JSON.parse(line) as { sent: number; cpuUs: number; lagMs: [number, number, number] });
      child.stdin!.write('go\n');
      return result;
    },
  };
}

/**
 * N light fake boards spread over `procs` processes (one MQTT connection each, an 80-byte
 * telemetry message every 1/hz s carrying its scheduled send time) and one fleet subscriber
 * (FleetClient, as `qiot fleet monitor` and a sweep use it) on qiot/v1/+/telemetry in this
 * process: records lost by per-board sequence, latency, msgs/s, CPU of each side.
 */
async function manyBoards(broker: Mosquitto, boards: number, hz: number, seconds: number, procs: number, qos: 0 | 1): Promise<FleetFigure> {
  // Persistent session: an overloaded subscriber that reconnects keeps the messages queued for it.
  const sub = await FleetClient.connect({ url: broker.url }, 'bench-sub', { persistent: true });
  const next = new Map<string, number>();
  let received = 0;
  let lost = 0;
  let duplicates = 0;
  let lastAt = 0;
  let goAtEpoch = 0;
  const latencies: number[] = [];
  const windows: number[][] = [];
  sub.onTelemetry((id, t) => {
    const now = performance.timeOrigin + performance.now();
    const expected = next.get(id) ?? 1;
    if (t.seq < expected) duplicates++;
    else {
      lost += t.seq - expected;
      next.set(id, t.seq + 1);
    }
    received++;
    lastAt = performance.now();
    const due = Buffer.from(t.raw.buffer, t.raw.byteOffset, 8).readDoubleLE(0);
    latencies.push(now - due);
    (windows[Math.max(0, Math.floor((due - goAtEpoch) / 5000))] ??= []).push(now - due);
  });
  let reconnects = 0;
  sub.mqtt.on('reconnect', () => reconnects++);
  if (qos === 1) await sub.watchTelemetry();
  else await sub.mqtt.subscribeAsync(topics.allTelemetry, { qos: 0 });

  const per = Math.ceil(boards / procs);
  const players = Array.from({ length: procs }, (_, p) => p * per)
    .filter((from) => from < boards)
    .map((from) => fakeBoards(broker.url, from, Math.min(per, boards - from), hz, seconds, qos));
  await Promise.all(players.map((p) => p.ready));
  const subCpu = process.cpuUsage(); // this process only subscribes from here on
  const brokerCpu0 = processCpuS(broker.pid());
  const idle0 = machineIdleS();
  const goAt = performance.now();
  goAtEpoch = performance.timeOrigin + goAt;
  const sentBy = await Promise.all(players.map((p) => p.go()));
  const sent = sentBy.reduce((a, b) => a + b.sent, 0);
  const publisherCpuUs = sentBy.reduce((a, b) => a + b.cpuUs, 0);
  // Drain: every message sent must arrive; wait until all did, or the count stopped growing for 10 s.
  for (let last = -1, still = 0; received - duplicates < sent && still < 10; ) {
    await new Promise((r) => setTimeout(r, 1000));
    still = received === last ? still + 1 : 0;
    last = received;
  }
  const wallS = (performance.now() - goAt) / 1000;
  const { user, system } = process.cpuUsage(subCpu);
  const brokerCpu1 = processCpuS(broker.pid());
  const brokerCpuS = brokerCpu0 !== null && brokerCpu1 !== null ? brokerCpu1 - brokerCpu0 : null;
  const idleS = machineIdleS() - idle0;
  await sub.close();
  const sorted = Float64Array.from(latencies).sort();
  const worst = (i: 0 | 1 | 2) => Math.max(...sentBy.map((b) => b.lagMs[i]));
  return {
    boards,
    procs,
    qos,
    hz,
    seconds,
    sent,
    received,
    lost: Math.max(lost, sent - received + duplicates),
    duplicates,
    reconnects,
    // Delivered rate: until the last message arrived (a subscriber that falls behind drains after the publishers stop).
    msgsPerS: (received - duplicates) / ((lastAt - goAt) / 1000),
    sentPerS: sent / seconds,
    p50Ms: quantile(sorted, 0.5),
    p99Ms: quantile(sorted, 0.99),
    maxMs: sorted[sorted.length - 1],
    p99ByWindowMs: Array.from(windows, (w) => quantile(Float64Array.from(w ?? [0]).sort(), 0.99)),
    publisherLagMs: { p50: worst(0), p99: worst(1), max: worst(2) },
    // CPU per message: what a rate costs in cores, whatever share of the machine this run got.
    subscriberCpuUsPerMsg: (user + system) / Math.max(1, received),
    publisherCpuUsPerMsg: publisherCpuUs / Math.max(1, sent),
    brokerCpuUsPerMsg: brokerCpuS === null ? null : (brokerCpuS * 1e6) / Math.max(1, received),
    cores: {
      publishers: publisherCpuUs / 1e6 / wallS,
      broker: brokerCpuS === null ? null : brokerCpuS / wallS,
      subscriber: (user + system) / 1e6 / wallS,
      idle: idleS / wallS,
    },
  };
}

const program = new Command('fleet-bench')
  .option('--boards <n>', 'fake boards', (v) => Number(v), 1000)
  .option('--seconds <s>', 'duration of the fake-board run', (v) => Number(v), 60)
  .option('--hz <f>', 'telemetry rate per fake board', (v) => Number(v), 10)
  .option('--threads <list>', 'worker threads of the sweep runs', '1,2,4')
  .option('--runs <n>', 'runs per sweep', (v) => Number(v), 16)
  .option('--steps <n>', 'steps per run (Iris, 4 qubits, 3 layers)', (v) => Number(v), 300)
  .option('--rounds <n>', 'sweep rounds; each thread count keeps its median', (v) => Number(v), 3)
  .option('--procs <n>', 'processes the fake boards are spread over', (v) => Number(v), 4)
  .option('--qos <n>', "QoS of the fake boards' telemetry and the subscription (0 or 1)", (v) => Number(v), 1)
  .option('--out <file>', 'results JSON', join(REPO, 'bench/fleet-results.json'))
  .parse();
const o = program.opts<{
  boards: number;
  seconds: number;
  hz: number;
  threads: string;
  runs: number;
  steps: number;
  procs: number;
  qos: number;
  rounds: number;
  out: string;
}>();

const broker = await startMosquitto();
try {
  const cores = availableParallelism();
  const loadStart = loadavg()[0];
  const sweeps: SweepFigure[] = [];
  // Rounds interleave the thread counts (1,2,4,1,2,4,…) and each count keeps its median, so a
  // change of the machine's load during the bench (shared machines) does not favour one count.
  const counts = o.threads.split(',').filter(Boolean).map(Number); // --threads '' skips the sweeps
  const timed = new Map<number, Omit<SweepFigure, 'speedup' | 'efficiency'>[]>(counts.map((t) => [t, []]));
  for (let round = 1; round <= o.rounds; round++) {
    for (const t of counts) {
      const f = await sweepThroughput(broker, t, o.runs, o.steps);
      timed.get(t)!.push(f);
      process.stderr.write(`round ${round}: sweep ${t} thread(s): ${f.seconds.toFixed(1)} s (load ${loadavg()[0].toFixed(1)})\n`);
    }
  }
  for (const t of counts) {
    const figures = timed.get(t)!.sort((a, b) => a.seconds - b.seconds);
    const f = figures[Math.floor(figures.length / 2)];
    const base = sweeps[0] ?? f; // speed-up against the first count (1 thread)
    const speedup = base.seconds / f.seconds;
    sweeps.push({ ...f, speedup, efficiency: speedup / Math.min(t, cores) });
  }
  const fleet = await manyBoards(broker, o.boards, o.hz, o.seconds, o.procs, o.qos === 0 ? 0 : 1);
  const machine = { cores, cpu: cpus()[0]?.model ?? 'unknown', loadavg1Start: loadStart, loadavg1: loadavg()[0] };
  writeFileSync(o.out, `${JSON.stringify({ machine, sweeps, fleet }, null, 2)}\n`);
  const r = (x: number, d = 1) => x.toFixed(d);
  process.stdout.write(
    [
      `Machine: ${machine.cores} cores (${machine.cpu}), load average ${r(machine.loadavg1Start)} at the start, ${r(machine.loadavg1)} at the end.`,
      '',
      '| worker threads | runs | steps/run | wall s | runs/min | steps/s | speed-up | efficiency (÷ min(threads, cores)) |',
      '|---|---|---|---|---|---|---|---|',
      ...sweeps.map(
        (s) =>
          `| ${s.threads} | ${s.runs} | ${s.steps} | ${r(s.seconds)} | ${r(s.runsPerMin)} | ${r(s.stepsPerS, 0)} | ${r(s.speedup, 2)} | ${r(s.efficiency * 100, 0)} % |`,
      ),
      '',
      `| fake boards | processes | QoS | rate | seconds | sent | sent/s | received | lost | duplicates | subscriber reconnects | delivered msgs/s | p50 ms | p99 ms | max ms |`,
      '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
      `| ${fleet.boards} | ${fleet.procs} | ${fleet.qos} | ${fleet.hz} Hz | ${fleet.seconds} | ${fleet.sent} | ${r(fleet.sentPerS, 0)} | ${fleet.received} | ${fleet.lost} | ${fleet.duplicates} | ${fleet.reconnects} | ${r(fleet.msgsPerS, 0)} | ${r(fleet.p50Ms)} | ${r(fleet.p99Ms)} | ${r(fleet.maxMs)} |`,
      '',
      `p99 ms by 5 s window of scheduled send time: ${fleet.p99ByWindowMs.map((x) => r(x)).join(', ')}`,
      `publisher timer lag ms (worst process): p50 ${r(fleet.publisherLagMs.p50)}, p99 ${r(fleet.publisherLagMs.p99)}, max ${r(fleet.publisherLagMs.max)}`,
      '',
      '| side | CPU µs/msg | cores used |',
      '|---|---|---|',
      `| fake boards (${fleet.procs} processes) | ${r(fleet.publisherCpuUsPerMsg)} | ${r(fleet.cores.publishers, 2)} |`,
      `| Mosquitto | ${fleet.brokerCpuUsPerMsg === null ? '?' : r(fleet.brokerCpuUsPerMsg)} | ${fleet.cores.broker === null ? '?' : r(fleet.cores.broker, 2)} |`,
      `| subscriber | ${r(fleet.subscriberCpuUsPerMsg)} | ${r(fleet.cores.subscriber, 2)} |`,
      `| (machine idle) | | ${r(fleet.cores.idle, 2)} of ${machine.cores} |`,
      '',
    ].join('\n'),
  );
} finally {
  await broker.stop();
}
