// The executor's bounded telemetry queue on a real Mosquitto: records produced
// while the broker is down are kept up to the bound and delivered after the
// restart; the rest are counted as dropped — in the run's `done` reply and in
// the retained status — never silently lost. A scripted backend produces the
// records only once the broker is down, so the test does not race the run.
import { beforeAll, describe, expect, it } from 'vitest';
import { fleetOnMosquitto, ScriptedRuns, until } from '../../testing/fleet-fixture.ts';
import type { Executor } from './executor.ts';
import type { Reply, TelemetryMessage } from './messages.ts';

const BOUND = 5;
const PRODUCED = 12;

/** A run that emits records 1…PRODUCED once released. */
const scripted = new ScriptedRuns(() => Array.from({ length: PRODUCED }, (_, i) => new Uint8Array(64).fill(i + 1)), 'a'.repeat(64));
const fleet = fleetOnMosquitto();
let executor: Executor;

beforeAll(async () => {
  executor = await fleet.executor(scripted.backend(), { id: 'queue-test', maxQueuedTelemetry: BOUND });
});

describe('telemetry queue during a broker outage', () => {
  it('keeps the bound, counts the rest as dropped in done and status, and delivers the kept ones after the restart', async () => {
    const { client, broker } = fleet;
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
    await until(() => scripted.started(0));
    scripted.release(0);
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
