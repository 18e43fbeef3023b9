// One process of light fake boards for bench/fleet-bench.ts: `count` MQTT
// connections (ids fake-<from>…), each publishing an 80-byte telemetry message
// (per-board sequence) every 1/hz s, phases spread evenly over the period.
// Every record carries its *scheduled* send time, not the time the timer fired:
// a process that falls behind its schedule shows as latency (no coordinated
// omission), and how far it fell behind is reported separately (lag).
// Protocol with the parent: prints "ready" once every connection is up, starts
// on the line "go" on stdin, and prints one JSON line after `seconds`, once
// every message was acknowledged (QoS 1):
//   {"sent":N,"cpuUs":CPU µs used meanwhile,"lagMs":[p50,p99,max]}
// Usage: node --import tsx bench/fleet-fake-boards.ts URL FROM COUNT HZ SECONDS QOS
import { createConnection, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { generate, parser } from 'mqtt-packet';
import { encodeTelemetry } from '../host/src/fleet/messages.ts';
import { topics } from '../host/src/fleet/topics.ts';

const [url, fromText, countText, hzText, secondsText, qosText] = process.argv.slice(2);
const [from, count, hz, seconds] = [fromText, countText, hzText, secondsText].map(Number);
const qos = Number(qosText) as 0 | 1;
const { hostname, port } = new URL(url);

/**
 * A light board: one TCP connection speaking just enough MQTT 3.1.1 (mqtt-packet's
 * encoder and parser) to CONNECT and PUBLISH and count PUBACKs. MQTT.js costs ≈ 58 µs of
 * CPU per QoS 1 message (measured, docs/fleet.md): 10 000 msgs/s of it would make the load
 * generator, not the broker or the subscriber, what this bench measures.
 */
interface Board {
  socket: Socket;
  topic: string;
  seq: number;
}

let acked = 0;
const connect = (clientId: string) =>
  new Promise<Board>((resolve, reject) => {
    const socket = createConnection({ host: hostname, port: Number(port), noDelay: true });
    const packets = parser();
    packets.on('packet', (p) => {
      if (p.cmd === 'puback') acked++;
      else if (p.cmd === 'connack' && p.returnCode === 0) resolve({ socket, topic: topics.telemetry(clientId), seq: 0 });
      else if (p.cmd === 'connack') reject(new Error(`${clientId}: CONNACK ${p.returnCode}`));
    });
    socket.on('data', (chunk) => packets.parse(chunk));
    socket.once('error', reject);
    socket.write(generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, clientId, keepalive: 0 }));
  });

const clients: Board[] = [];
for (let i = 0; i < count; i += 50)
  clients.push(...(await Promise.all(Array.from({ length: Math.min(50, count - i) }, (_, k) => connect(`fake-${from + i + k}`)))));
process.stdout.write('ready\n');
const stdin = createInterface({ input: process.stdin });
await new Promise<void>((resolve) => stdin.once('line', () => resolve()));
stdin.close(); // nothing else comes: the open pipe must not keep this process alive

const cpu = process.cpuUsage();
let sent = 0;
const raw = new Uint8Array(64);
const view = Buffer.from(raw.buffer);
// Message g (g = 0, 1, …) is board g mod count's (g div count)-th, due at start + g·step:
// one timer walks the whole schedule instead of `count` drifting intervals.
const step = 1000 / hz / count;
const start = performance.now();
const total = Math.floor((seconds * 1000) / step);
const lags = new Float64Array(total);
let g = 0;
await new Promise<void>((done) => {
  const tick = () => {
    const now = performance.now();
    for (; g < total && start + g * step <= now; g++) {
      const board = clients[g % count];
      const due = start + g * step;
      lags[g] = now - due;
      view.writeDoubleLE(performance.timeOrigin + due, 0);
      const seq = ++board.seq;
      const payload = encodeTelemetry({ seq, tag: 0, raw });
      board.socket.write(
        generate({ cmd: 'publish', topic: board.topic, payload, qos, messageId: (seq % 0xffff) + 1, dup: false, retain: false }),
      );
      sent++;
    }
    if (g >= total) done();
    else setTimeout(tick, Math.max(0, start + g * step - performance.now()));
  };
  tick();
});
if (qos === 1)
  await new Promise<void>((r) => {
    const check = () => (acked >= sent ? r() : setTimeout(check, 50));
    check();
  });
const used = process.cpuUsage(cpu);
const sorted = lags.sort();
const lagMs = [0.5, 0.99].map((q) => sorted[Math.floor(q * (sorted.length - 1))]).concat(sorted[sorted.length - 1]);
process.stdout.write(`${JSON.stringify({ sent, cpuUs: used.user + used.system, lagMs })}\n`);
for (const c of clients) c.socket.end(generate({ cmd: 'disconnect' }));
