// A reply the client cannot read (an executor on another qiot version adds a field the
// strict schema refuses) ends the command it answers with an error naming the problem;
// before, the reply was dropped and the command waited for an answer that had come.
import mqtt from 'mqtt';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEmbeddedBroker, type EmbeddedBroker } from './broker.ts';
import { FleetClient, RemoteError } from './client.ts';
import { decodeRequest } from './messages.ts';
import { topics } from './topics.ts';

let broker: EmbeddedBroker;
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  broker = await startEmbeddedBroker(0, 0);
});

afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  await broker?.close();
});

it('a reply that does not match the schema rejects its command with RemoteError (unreachable), naming the executor', async () => {
  const settings = { url: broker.url };
  const newer = await mqtt.connectAsync(settings.url, { clientId: 'newer-executor', clean: true });
  closers.push(() => newer.endAsync());
  newer.on('message', (_topic, payload) => {
    const request = decodeRequest(payload);
    const reply = { v: 1, corr: request.corr, stage: 'ok', result: {}, field_of_a_later_version: true };
    void newer.publishAsync(request.reply, JSON.stringify(reply), { qos: 1 });
  });
  await newer.subscribeAsync(topics.cmd('newer-0'), { qos: 1 });
  const client = await FleetClient.connect(settings, 'test');
  closers.push(() => client.close());

  const err = await client.call('newer-0', 'info', {}).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RemoteError);
  expect((err as RemoteError).kind).toBe('unreachable');
  expect((err as RemoteError).message).toMatch(
    /^newer-0: its reply cannot be read by this qiot \(reply: .*field_of_a_later_version.*\); is the executor running another qiot version\?$/,
  );
});
