// The fake-board half of the fleet bench (bench/fleet-bench.ts): N light fake boards
// (bench/fleet-fake-boards.ts) spread over processes through a real Mosquitto, one fleet
// subscriber in this process; records lost, latency, rates and the CPU of each side.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Mosquitto } from '../host/testing/mosquitto.ts';
import { FleetClient } from '../host/src/fleet/client.ts';
import { topics } from '../host/src/fleet/topics.ts';
import { machineIdleS, processCpuS } from './fleet-cpu.ts';

const REPO = fileURLToPath(new URL('..', import.meta.url));

export interface FleetFigure {
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
  /** Messages the broker sent again (DUP flag) after a reconnection, and why the connection dropped. */
  redelivered: number;
  disconnects: string[];
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
export async function manyBoards(
  broker: Mosquitto,
  boards: number,
  hz: number,
  seconds: number,
  procs: number,
  qos: 0 | 1,
): Promise<FleetFigure> {
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
  let redelivered = 0;
  sub.mqtt.on('message', (_topic, _payload, packet) => packet.dup && redelivered++);
  const why: string[] = [];
  sub.mqtt.on('error', (e) => why.push(e.message));
  sub.mqtt.on('disconnect', (p) => why.push(`disconnect ${p.reasonCode}`));
  sub.mqtt.on('close', () => why.push(`close at ${((performance.timeOrigin + performance.now() - goAtEpoch) / 1000).toFixed(1)} s`));
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
    redelivered,
    disconnects: why,
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
