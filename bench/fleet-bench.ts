// Fleet benchmark (make bench-fleet, part of make bench; a script, not a test),
// on a real Mosquitto started from host/testing/mosquitto.conf:
//   1. sweep throughput with 1, 2, 4 worker threads (runs/min, steps/s, parallel
//      efficiency = speed-up / threads, against this machine's core count);
//   2. N light fake boards (default 1000) publishing 80-byte telemetry at 10 Hz
//      (QoS 1) for S seconds (default 60): records lost (by per-board sequence),
//      board→subscriber latency percentiles, messages/s.
// Results: bench/fleet-results.json and a Markdown table on stdout (docs/fleet.md quotes them).
// Usage: npx tsx bench/fleet-bench.ts [--boards 1000] [--seconds 60] [--threads 1,2,4] [--runs 16] [--steps 40]
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import mqtt, { type MqttClient } from 'mqtt';
import { startMosquitto, type Mosquitto } from '../host/testing/mosquitto.ts';
import { ThreadBackend } from '../host/src/fleet/backends.ts';
import { FleetClient } from '../host/src/fleet/client.ts';
import { Executor } from '../host/src/fleet/executor.ts';
import { decodeTelemetry, encodeTelemetry } from '../host/src/fleet/messages.ts';
import { expandSweep } from '../host/src/fleet/sweep-grid.ts';
import { SweepOutput } from '../host/src/fleet/sweep-output.ts';
import { runSweep } from '../host/src/fleet/sweep-run.ts';
import { createRunPool } from '../host/src/fleet/thread-target.ts';
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
  const pool = createRunPool(threads);
  const executors: Executor[] = [];
  const settings = { url: broker.url };
  for (let i = 0; i < threads; i++)
    executors.push(await Executor.start(settings, new ThreadBackend(pool, image), { id: `bench-t${threads}-${i}` }));
  const client = await FleetClient.connect(settings, 'bench-sweep', { persistent: true });
  await client.watchTelemetry();
  while (client.online().filter((s) => s.id.startsWith(`bench-t${threads}-`)).length < threads) await new Promise((r) => setTimeout(r, 20));
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
  await Promise.all(executors.map((e) => e.close()));
  await pool.close();
  rmSync(dir, { recursive: true, force: true });
  return { threads, runs, steps, seconds, runsPerMin: (runs / seconds) * 60, stepsPerS: (runs * steps) / seconds };
}

interface FleetFigure {
  boards: number;
  hz: number;
  seconds: number;
  sent: number;
  received: number;
  lost: number;
  duplicates: number;
  msgsPerS: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

const quantile = (sorted: Float64Array, q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/** Light fake boards: one MQTT connection each, an 80-byte QoS 1 telemetry message every 1/hz s whose record carries the send time. */
async function manyBoards(broker: Mosquitto, boards: number, hz: number, seconds: number): Promise<FleetFigure> {
  const sub = await mqtt.connectAsync(broker.url, { protocolVersion: 4, clientId: 'bench-sub', clean: true });
  const next = new Map<string, number>();
  let received = 0;
  let lost = 0;
  let duplicates = 0;
  const latencies: number[] = [];
  sub.on('message', (topic, payload) => {
    const now = performance.timeOrigin + performance.now();
    const t = decodeTelemetry(payload);
    const id = topic.split('/')[2];
    const expected = next.get(id) ?? 1;
    if (t.seq < expected) duplicates++;
    else {
      lost += t.seq - expected;
      next.set(id, t.seq + 1);
    }
    received++;
    latencies.push(now - Buffer.from(t.raw.buffer, t.raw.byteOffset, 8).readDoubleLE(0));
  });
  await sub.subscribeAsync(topics.allTelemetry, { qos: 1 });

  const clients: MqttClient[] = [];
  for (let i = 0; i < boards; i += 50) {
    clients.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(50, boards - i) }, (_, k) =>
          mqtt.connectAsync(broker.url, { protocolVersion: 4, clientId: `fake-${i + k}`, clean: true, reconnectPeriod: 1000 }),
        ),
      )),
    );
  }
  let sent = 0;
  const raw = new Uint8Array(64);
  const view = Buffer.from(raw.buffer);
  const timers = clients.map((c, i) => {
    const topic = topics.telemetry(`fake-${i}`);
    let seq = 0;
    // Spread the boards' phases over the period, as independent devices would be.
    return setTimeout(
      () => {
        const tick = () => {
          view.writeDoubleLE(performance.timeOrigin + performance.now(), 0);
          c.publish(topic, encodeTelemetry({ seq: ++seq, tag: 0, raw }), { qos: 1 });
          sent++;
        };
        tick();
        timers[i] = setInterval(tick, 1000 / hz);
      },
      (i * (1000 / hz)) / clients.length,
    );
  }) as unknown as NodeJS.Timeout[];
  await new Promise((r) => setTimeout(r, seconds * 1000));
  timers.forEach((t) => {
    clearInterval(t);
  });
  // Drain: every message sent must arrive (QoS 1); wait until the count stops growing.
  for (let last = -1; last !== received; ) {
    last = received;
    await new Promise((r) => setTimeout(r, 2000));
  }
  const lostAtEnd = sent - received + duplicates;
  await Promise.all(clients.map((c) => c.endAsync()));
  await sub.endAsync();
  const sorted = Float64Array.from(latencies).sort();
  return {
    boards,
    hz,
    seconds,
    sent,
    received,
    lost: Math.max(lost, lostAtEnd),
    duplicates,
    msgsPerS: received / seconds,
    p50Ms: quantile(sorted, 0.5),
    p99Ms: quantile(sorted, 0.99),
    maxMs: sorted[sorted.length - 1],
  };
}

const program = new Command('fleet-bench')
  .option('--boards <n>', 'fake boards', (v) => Number(v), 1000)
  .option('--seconds <s>', 'duration of the fake-board run', (v) => Number(v), 60)
  .option('--hz <f>', 'telemetry rate per fake board', (v) => Number(v), 10)
  .option('--threads <list>', 'worker threads of the sweep runs', '1,2,4')
  .option('--runs <n>', 'runs per sweep', (v) => Number(v), 16)
  .option('--steps <n>', 'steps per run (Iris, 4 qubits, 3 layers)', (v) => Number(v), 300)
  .option('--out <file>', 'results JSON', join(REPO, 'bench/fleet-results.json'))
  .parse();
const o = program.opts<{ boards: number; seconds: number; hz: number; threads: string; runs: number; steps: number; out: string }>();

const broker = await startMosquitto();
try {
  const cores = availableParallelism();
  const sweeps: SweepFigure[] = [];
  for (const t of o.threads.split(',').map(Number)) {
    const f = await sweepThroughput(broker, t, o.runs, o.steps);
    const base = sweeps[0] ?? f; // speed-up against the first (1 thread)
    const speedup = base.seconds / f.seconds;
    sweeps.push({ ...f, speedup, efficiency: speedup / Math.min(t, cores) });
    process.stderr.write(`sweep ${t} thread(s): ${f.seconds.toFixed(1)} s\n`);
  }
  const fleet = await manyBoards(broker, o.boards, o.hz, o.seconds);
  const machine = { cores, cpu: cpus()[0]?.model ?? 'unknown', loadavg1: loadavg()[0] };
  writeFileSync(o.out, `${JSON.stringify({ machine, sweeps, fleet }, null, 2)}\n`);
  const r = (x: number, d = 1) => x.toFixed(d);
  process.stdout.write(
    [
      `Machine: ${machine.cores} cores (${machine.cpu}), load average ${r(machine.loadavg1)} at the end.`,
      '',
      '| worker threads | runs | steps/run | wall s | runs/min | steps/s | speed-up | efficiency (÷ min(threads, cores)) |',
      '|---|---|---|---|---|---|---|---|',
      ...sweeps.map(
        (s) =>
          `| ${s.threads} | ${s.runs} | ${s.steps} | ${r(s.seconds)} | ${r(s.runsPerMin)} | ${r(s.stepsPerS, 0)} | ${r(s.speedup, 2)} | ${r(s.efficiency * 100, 0)} % |`,
      ),
      '',
      `| fake boards | rate | seconds | sent | received | lost | duplicates | msgs/s | p50 ms | p99 ms | max ms |`,
      '|---|---|---|---|---|---|---|---|---|---|---|',
      `| ${fleet.boards} | ${fleet.hz} Hz | ${fleet.seconds} | ${fleet.sent} | ${fleet.received} | ${fleet.lost} | ${fleet.duplicates} | ${r(fleet.msgsPerS, 0)} | ${r(fleet.p50Ms)} | ${r(fleet.p99Ms)} | ${r(fleet.maxMs)} |`,
      '',
    ].join('\n'),
  );
} finally {
  await broker.stop();
}
