// TCP_NODELAY on every fleet connection (connectBroker), also on the new socket
// MQTT.js opens after the broker restarted: Nagle's algorithm would hold a small
// PUBACK or telemetry message until the previous one is acknowledged.
import { Socket } from 'node:net';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { startMosquitto, type Mosquitto } from '../../testing/mosquitto.ts';
import { connectBroker } from './broker.ts';

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
