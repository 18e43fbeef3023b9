// A worker executor that accepts its first command and then dies without a word (its socket
// cut: the broker publishes its last will), as a killed `qiot worker` process does; its status
// announces the module and, when given, the task kinds a real worker of this qiot runs.
import mqtt from 'mqtt';
import { topics } from '../src/fleet/topics.ts';
import { ABI_VERSION } from '../src/wasm/abi.ts';
import { QIOT_VERSION } from '../src/version.ts';

export interface DyingWorker {
  /** Resolves with the op of the command it took (then it is gone). */
  took: Promise<string>;
  end(): void;
}

export async function dyingWorker(url: string, moduleSha256: string, opts: { id?: string; tasks?: string[] } = {}): Promise<DyingWorker> {
  const id = opts.id ?? 'expfleet-dying';
  const status = (busy: string | null) =>
    JSON.stringify({
      v: 1,
      id,
      state: 'online',
      kind: 'worker',
      target: { kind: 'node' },
      module_sha256: moduleSha256,
      abi_version: ABI_VERSION,
      host: 'test',
      tags: [],
      busy,
      queued: 0,
      dropped: 0,
      ...(opts.tasks ? { tasks: { kinds: opts.tasks, qiot_version: QIOT_VERSION } } : {}),
    });
  const client = mqtt.connect(url, {
    clientId: id,
    protocolVersion: 4,
    reconnectPeriod: 0,
    will: {
      topic: topics.status(id),
      payload: Buffer.from(JSON.stringify({ v: 1, id, state: 'offline', reason: 'connection lost' })),
      qos: 1,
      retain: true,
    },
  });
  await new Promise((resolve, reject) => client.once('connect', resolve).once('error', reject));
  await client.subscribeAsync(topics.cmd(id), { qos: 1 });
  const took = new Promise<string>((resolve) => {
    client.once('message', (_topic, payload) => {
      const cmd = JSON.parse(payload.toString()) as { corr: string; reply: string; op: string };
      client.publish(topics.status(id), status(cmd.corr), { qos: 1, retain: true });
      client.publish(cmd.reply, JSON.stringify({ v: 1, corr: cmd.corr, stage: 'ok', result: {} }), { qos: 1 }, () => {
        client.stream.destroy(); // no DISCONNECT: the broker sends the will
        resolve(cmd.op);
      });
    });
  });
  await client.publishAsync(topics.status(id), status(null), { qos: 1, retain: true });
  return { took, end: () => client.end(true) };
}
