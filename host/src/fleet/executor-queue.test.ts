// The executor's bounded telemetry queue on a real Mosquitto: records produced
// while the broker is down are kept up to the bound and delivered after the
// restart; the rest are counted as dropped — in the run's `done` reply and in
// the retained status — never silently lost. A scripted backend produces the
// records only once the broker is down, so the test does not race the run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMosquitto, type Mosquitto } from '../../testing/mosquitto.ts';
import type { StepTelemetry, TargetSummary, TrainingTarget } from '../train/target.ts';
import { FleetClient } from './client.ts';
import { Executor, type ExecutorBackend } from './executor.ts';
import type { Reply, TelemetryMessage } from './messages.ts';

const BOUND = 5;
const PRODUCED = 12;

/** A target that emits PRODUCED records when `release` is called. */
class ScriptedTarget implements TrainingTarget {
  static release: () => void = () => undefined;
  async identity() {
    return { target: { kind: 'node' as const }, moduleSha256: 'a'.repeat(64), abiVersion: 1 };
  }
  async configure(): Promise<void> {}
  async train(_steps: number, onStep: (s: StepTelemetry) => void): Promise<TargetSummary> {
    await new Promise<void>((r) => (ScriptedTarget.release = r));
    for (let i = 1; i <= PRODUCED; i++) onStep({ raw: new Uint8Array(64).fill(i) });
    return { status: 'completed', trainLoss: 0.5, testLoss: 0.5, testAccuracy: 1, shotsTotal: 0, paramCount: 1 };
  }
  stop(): void {}
}

const backend: ExecutorBackend = {
  kind: 'worker',
  identity: () => ({ target: { kind: 'node' }, moduleSha256: 'a'.repeat(64), abiVersion: 1 }),
  info: async () => ({}),
  flash: async () => ({ sha256: '', committed: false }),
  target: () => new ScriptedTarget(),
};

let broker: Mosquitto;
let executor: Executor;
let client: FleetClient;

beforeAll(async () => {
  broker = await startMosquitto();
  executor = await Executor.start({ url: broker.url }, backend, { id: 'queue-test', maxQueuedTelemetry: BOUND });
  client = await FleetClient.connect({ url: broker.url }, 'test', { persistent: true });
  await client.watchTelemetry();
  while (client.statuses.get('queue-test')?.state !== 'online') await new Promise((r) => setTimeout(r, 20));
});

afterAll(async () => {
  await client?.close();
  await executor?.close().catch(() => undefined);
  await broker?.stop();
});

const until = async (check: () => boolean) => {
  while (!check()) await new Promise((r) => setTimeout(r, 20));
};

describe('telemetry queue during a broker outage', () => {
  it('keeps the bound, counts the rest as dropped in done and status, and delivers the kept ones after the restart', async () => {
    const received: TelemetryMessage[] = [];
    client.onTelemetry((id, t) => id === 'queue-test' && received.push(t));
    const replies: Reply[] = [];
    let started!: () => void;
    const ok = new Promise<void>((r) => (started = r));
    client.send(
      'queue-test',
      'train',
      { config: '', dataset: '', steps: PRODUCED, tag: 77 },
      {
        onReply: (r) => {
          replies.push(r);
          if (r.stage === 'ok') started();
        },
        onLost: () => undefined,
      },
    );
    await ok;
    await broker.halt();
    await until(() => !executor.connected);
    ScriptedTarget.release();
    await broker.restart();
    await until(() => replies.some((r) => r.stage === 'done'));
    const done = replies.find((r) => r.stage === 'done');
    expect(done?.stage === 'done' && done.result).toMatchObject({ records: PRODUCED, dropped: PRODUCED - BOUND, first_seq: 1 });
    await until(() => received.length >= BOUND);
    expect(received.map((t) => t.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(received.map((t) => t.raw[0])).toEqual([1, 2, 3, 4, 5]);
    await until(() => {
      const s = client.statuses.get('queue-test');
      return s?.state === 'online' && s.busy === null && s.queued === 0; // the drained backlog is announced
    });
    expect(client.statuses.get('queue-test')).toMatchObject({ state: 'online', dropped: PRODUCED - BOUND, queued: 0 });
  }, 60_000);
});
