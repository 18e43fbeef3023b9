// MQTT 5 where the broker speaks it, 3.1.1 where it does not: on Mosquitto the
// fleet's connections are MQTT 5 and commands carry Response Topic and
// Correlation Data (which executors prefer over the payload's reply/corr); on
// the embedded aedes broker (3.1.1 only) they fall back to 3.1.1 and the
// payload fields do the same job.
import mqtt, { type IPublishPacket } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMosquitto, type Mosquitto } from '../../testing/mosquitto.ts';
import { startEmbeddedBroker, type BrokerSettings, type EmbeddedBroker } from './broker.ts';
import { FleetClient } from './client.ts';
import { Executor, type ExecutorBackend } from './executor.ts';
import { decodeReply } from './messages.ts';
import { topics } from './topics.ts';

const backend: ExecutorBackend = {
  kind: 'worker',
  identity: () => ({ target: { kind: 'node' }, moduleSha256: 'c'.repeat(64), abiVersion: 1 }),
  info: async () => ({ answered: true }),
  flash: async () => ({ sha256: '', committed: false }),
  target: () => {
    throw new Error('not used');
  },
};

let mosquitto: Mosquitto;
let aedes: EmbeddedBroker;
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  mosquitto = await startMosquitto();
  aedes = await startEmbeddedBroker(0, 0);
});

afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  await mosquitto?.stop();
  await aedes?.close();
});

async function fleetOn(settings: BrokerSettings, id: string) {
  const executor = await Executor.start(settings, backend, { id });
  closers.push(() => executor.close());
  const client = await FleetClient.connect(settings, 'test');
  closers.push(() => client.close());
  while (client.statuses.get(id)?.state !== 'online') await new Promise((r) => setTimeout(r, 20));
  return client;
}

describe('MQTT 5 on Mosquitto', () => {
  it('commands carry Response Topic and Correlation Data, and replies the Correlation Data', async () => {
    const client = await fleetOn({ url: mosquitto.url }, 'v5-worker-0');
    expect(client.mqtt5).toBe(true);
    const spy = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 5, clientId: 'spy', clean: true });
    closers.push(() => spy.endAsync());
    const packets: IPublishPacket[] = [];
    spy.on('message', (_t, _p, packet) => packets.push(packet));
    await spy.subscribeAsync(['qiot/v1/v5-worker-0/cmd', 'qiot/v1/_clients/+/reply'], { qos: 1 });

    expect(await client.call('v5-worker-0', 'info', {})).toMatchObject({ answered: true });
    while (!packets.some((p) => p.topic.endsWith('/reply'))) await new Promise((r) => setTimeout(r, 20));
    const cmd = packets.find((p) => p.topic.endsWith('/cmd'))!;
    const corr = JSON.parse(cmd.payload.toString()).corr as string;
    expect(cmd.properties?.responseTopic).toBe(topics.reply(client.clientId));
    expect(cmd.properties?.correlationData?.toString()).toBe(corr);
    const reply = packets.find((p) => p.topic.endsWith('/reply'))!;
    expect(reply.topic).toBe(topics.reply(client.clientId));
    expect(reply.properties?.correlationData?.toString()).toBe(corr);
  });

  it('an executor answers to the properties, not to the payload fields, when both are there', async () => {
    await fleetOn({ url: mosquitto.url }, 'v5-worker-1');
    const raw = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 5, clientId: 'raw-v5', clean: true });
    closers.push(() => raw.endAsync());
    const mine = topics.reply('raw-v5');
    const got = new Promise<IPublishPacket>((resolve) => raw.on('message', (_t, _p, packet) => resolve(packet)));
    await raw.subscribeAsync(mine, { qos: 1 });
    const request = { v: 1, op: 'info', corr: 'payload-corr', reply: topics.reply('somebody-else'), args: {} };
    await raw.publishAsync(topics.cmd('v5-worker-1'), JSON.stringify(request), {
      qos: 1,
      properties: { responseTopic: mine, correlationData: Buffer.from('property-corr') },
    });
    const packet = await got;
    expect(packet.topic).toBe(mine);
    expect(packet.properties?.correlationData?.toString()).toBe('property-corr');
    expect(decodeReply(packet.payload as Buffer)).toMatchObject({ stage: 'ok', result: { answered: true } });
  });
});

describe('MQTT 3.1.1 on aedes', () => {
  it('connections fall back to 3.1.1 and commands are answered through the payload fields', async () => {
    const client = await fleetOn({ url: aedes.url }, 'v4-worker-0');
    expect(client.mqtt5).toBe(false);
    expect(client.mqtt.options.protocolVersion).toBe(4);
    expect(await client.call('v4-worker-0', 'info', {})).toMatchObject({ answered: true, id: 'v4-worker-0' });
  });
});
