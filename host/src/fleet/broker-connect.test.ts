// How connectBroker connects, seen on the socket: TCP_NODELAY, also on the new
// socket MQTT.js opens after the broker restarted (Nagle's algorithm would hold a
// small PUBACK or telemetry message until the previous one is acknowledged); and
// the MQTT 5 CONNECT as written on the wire carries the Receive Maximum of
// FLEET.receiveMaximum (the broker's in-flight window towards us) and, for a
// persistent session, its expiry.
import { Socket } from 'node:net';
import { parser, type IConnectPacket, type Packet } from 'mqtt-packet';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { startMosquitto, type Mosquitto } from '../../testing/mosquitto.ts';
import { connectBroker } from './broker.ts';
import { FLEET } from './limits.ts';

let broker: Mosquitto;
beforeAll(async () => {
  broker = await startMosquitto();
});
afterAll(async () => {
  await broker?.stop();
});

it('sets TCP_NODELAY on the socket, and again on the socket of a reconnection', async () => {
  const setNoDelay = vi.spyOn(Socket.prototype, 'setNoDelay');
  const client = await connectBroker({ url: broker.url }, { clientId: 'nodelay-test' });
  try {
    const first = client.stream;
    expect(setNoDelay.mock.contexts).toContain(first);
    expect(setNoDelay.mock.calls.filter((_, i) => setNoDelay.mock.contexts[i] === first)).toContainEqual([true]);
    const reconnected = new Promise((r) => client.once('connect', r));
    await broker.restart();
    await reconnected;
    const second = client.stream;
    expect(second).not.toBe(first);
    expect(setNoDelay.mock.calls.filter((_, i) => setNoDelay.mock.contexts[i] === second)).toContainEqual([true]);
  } finally {
    setNoDelay.mockRestore();
    await client.endAsync();
  }
}, 60_000);

it('asks the broker for at most FLEET.receiveMaximum unacknowledged messages (MQTT 5 CONNECT on the wire)', async () => {
  const write = vi.spyOn(Socket.prototype, 'write');
  const connects: IConnectPacket[] = [];
  try {
    for (const [i, opts] of [{}, { persistent: true }, { persistent: true, sessionExpiryS: 120, receiveMaximum: 1 }].entries()) {
      const client = await connectBroker({ url: broker.url }, { clientId: `window-test-${i}`, ...opts });
      const packets = parser({ protocolVersion: 5 });
      packets.on('packet', (p: Packet) => p.cmd === 'connect' && connects.push(p));
      for (const [i, ctx] of write.mock.contexts.entries())
        if (ctx === client.stream) packets.parse(Buffer.from(write.mock.calls[i][0] as Uint8Array));
      expect(client.options.protocolVersion).toBe(5);
      await client.endAsync();
      write.mockClear();
    }
  } finally {
    write.mockRestore();
  }
  expect(connects.map((c) => c.properties)).toEqual([
    { receiveMaximum: FLEET.receiveMaximum },
    { receiveMaximum: FLEET.receiveMaximum, sessionExpiryInterval: FLEET.sessionExpiryS },
    { receiveMaximum: 1, sessionExpiryInterval: 120 }, // a short-lived persistent client (the fleet HIL's lossless test)
  ]);
}, 60_000);

it('a QoS 1 message from the broker postpones the keep-alive ping (a backlog streaming in is a live broker)', async () => {
  const client = await connectBroker({ url: broker.url }, { clientId: 'alive-test' });
  const other = await connectBroker({ url: broker.url }, { clientId: 'alive-test-pub' });
  try {
    await client.subscribeAsync('alive/test', { qos: 1 });
    const before = client.keepaliveManager.keepaliveTimeoutTimestamp;
    await new Promise((r) => setTimeout(r, 5)); // the clock moves on, so a reschedule shows
    const arrived = new Promise((r) => client.once('message', r));
    await other.publishAsync('alive/test', 'x', { qos: 1 });
    await arrived;
    expect(client.keepaliveManager.keepaliveTimeoutTimestamp).toBeGreaterThan(before);
  } finally {
    await client.endAsync();
    await other.endAsync();
  }
}, 60_000);
