// One process of light fake boards for bench/fleet-bench.ts: `count` MQTT
// connections (ids fake-<from>…), each publishing an 80-byte telemetry message
// (per-board sequence, send time in the record) every 1/hz s. Protocol with the
// parent: prints "ready" once every connection is up, starts on the line
// "go" on stdin, prints {"sent":N,"cpuUs":CPU µs used meanwhile} after `seconds` and once every message was acknowledged (QoS 1).
// Usage: node --import tsx bench/fleet-fake-boards.ts URL FROM COUNT HZ SECONDS QOS
import { createInterface } from 'node:readline';
import mqtt, { type MqttClient } from 'mqtt';
import { encodeTelemetry } from '../host/src/fleet/messages.ts';
import { topics } from '../host/src/fleet/topics.ts';

const [url, fromText, countText, hzText, secondsText, qosText] = process.argv.slice(2);
const [from, count, hz, seconds] = [fromText, countText, hzText, secondsText].map(Number);
const qos = Number(qosText) as 0 | 1;

const clients: MqttClient[] = [];
for (let i = 0; i < count; i += 50) {
  clients.push(
    ...(await Promise.all(
      Array.from({ length: Math.min(50, count - i) }, (_, k) =>
        mqtt.connectAsync(url, { protocolVersion: 4, clientId: `fake-${from + i + k}`, clean: true, reconnectPeriod: 1000 }),
      ),
    )),
  );
}
process.stdout.write('ready\n');
const stdin = createInterface({ input: process.stdin });
await new Promise<void>((resolve) => stdin.once('line', () => resolve()));
stdin.close(); // nothing else comes: the open pipe must not keep this process alive

const cpu = process.cpuUsage();
let sent = 0;
let acked = 0;
const raw = new Uint8Array(64);
const view = Buffer.from(raw.buffer);
const period = 1000 / hz;
const timers: NodeJS.Timeout[] = [];
clients.forEach((c, i) => {
  const topic = topics.telemetry(`fake-${from + i}`);
  let seq = 0;
  const tick = () => {
    view.writeDoubleLE(performance.timeOrigin + performance.now(), 0);
    c.publish(topic, encodeTelemetry({ seq: ++seq, tag: 0, raw }), { qos }, () => acked++);
    sent++;
  };
  // Phases spread over the period, as independent devices would be.
  timers.push(
    setTimeout(
      () => {
        tick();
        timers.push(setInterval(tick, period));
      },
      (i * period) / clients.length,
    ),
  );
});
await new Promise((r) => setTimeout(r, seconds * 1000));
for (const t of timers) clearInterval(t);
while (acked < sent) await new Promise((r) => setTimeout(r, 50));
const used = process.cpuUsage(cpu);
process.stdout.write(`${JSON.stringify({ sent, cpuUs: used.user + used.system })}\n`);
await Promise.all(clients.map((c) => c.endAsync()));
