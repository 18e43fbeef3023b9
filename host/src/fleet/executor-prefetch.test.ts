// Prefetch on a real Mosquitto, checked by the order of messages, never by time:
// an executor running a run keeps one `queue`d train and starts it right after
// that run's `done`, refuses a third as busy, and runs each kept run exactly once;
// a run's last telemetry batch (fewer records than a full batch) arrives before
// its `done`; a sweep over two worker executors hands each a second run while the
// first runs, and every run is executed and written exactly once.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fleetOnMosquitto, irisRuns, ScriptedRuns, sweepInto, until } from '../../testing/fleet-fixture.ts';
import { MODULE_PATH } from '../../testing/harness.ts';
import { readModuleImage } from '../train/module-target.ts';
import { ThreadBackend } from './backends.ts';
import { FLEET } from './limits.ts';
import type { Reply } from './messages.ts';
import { createRunPool } from './thread-target.ts';

const RECORDS = 3; // fewer than FLEET.telemetryBatchMax: the run's only batch is the final one

/** Each run emits RECORDS records (first byte = its tag) once released. */
const scripted = new ScriptedRuns((tag) => Array.from({ length: RECORDS }, () => new Uint8Array(64).fill(tag)), 'b'.repeat(64));
const fleet = fleetOnMosquitto();

describe('an executor keeps one queued run', () => {
  it('queues one, refuses a third, starts the kept one after done, runs each once; the last batch precedes done', async () => {
    await fleet.executor(scripted.backend(), { id: 'prefetch-0' });
    const { client } = fleet;
    const events: string[] = [];
    client.onTelemetry((id, t) => id === 'prefetch-0' && events.push(`telemetry ${t.raw[0]}`));
    const train = (tag: number, queue: boolean) =>
      client.send(
        'prefetch-0',
        'train',
        { config: Buffer.from([tag]).toString('base64'), dataset: '', steps: RECORDS, tag, ...(queue ? { queue } : {}) },
        {
          onReply: (r: Reply) => events.push(`${r.stage} ${tag}${r.stage === 'error' ? ` ${r.error.kind}` : ''}`),
          onLost: () => events.push(`lost ${tag}`),
        },
      );
    train(1, false);
    await until(() => events.includes('ok 1'));
    train(2, true);
    await until(() => events.includes('queued 2'));
    train(3, true);
    await until(() => events.includes('error 3 busy'));
    await until(() => {
      const s = client.statuses.get('prefetch-0');
      return s?.state === 'online' && s.next !== null && s.next !== undefined;
    });
    await until(() => scripted.started(1));
    scripted.release(1);
    await until(() => scripted.started(2));
    scripted.release(2);
    await until(() => events.includes('done 2'));
    const telemetry = (tag: number) => Array(RECORDS).fill(`telemetry ${tag}`);
    expect(events).toEqual(['ok 1', 'queued 2', 'error 3 busy', ...telemetry(1), 'done 1', 'ok 2', ...telemetry(2), 'done 2']);
    expect(scripted.trained).toEqual([1, 2]);
    await until(() => {
      const s = client.statuses.get('prefetch-0');
      return s?.state === 'online' && s.busy === null && s.next === null;
    });
  }, 60_000);
});

describe('a sweep prefetches', () => {
  it('hands each of two executors a second run while the first runs; every run is executed and written once', async () => {
    const pool = createRunPool(2);
    fleet.onClose(() => pool.close());
    const { client } = fleet;
    const image = await readModuleImage(MODULE_PATH);
    let trained = 0;
    class CountingBackend extends ThreadBackend {
      override target() {
        trained++;
        return super.target();
      }
    }
    for (const id of ['prefetch-w0', 'prefetch-w1']) await fleet.executor(new CountingBackend(pool, image), { id });
    const kept = new Set<string>();
    const unwatch = client.onStatus((s) => {
      if (s.state === 'online' && s.next) kept.add(s.id);
    });
    const runs = irisRuns(5, [1, 2, 3, 4, 5, 6, 7, 8]);
    const dir = mkdtempSync(join(tmpdir(), 'qiot-prefetch-'));
    try {
      const result = await sweepInto(client, runs, dir, image.sha256, { waitMs: FLEET.sweepWaitS * 1000 });
      unwatch();
      expect(result).toMatchObject({ completed: 8, failed: 0, requeued: 0, interrupted: false });
      expect([...kept].sort()).toEqual(['prefetch-w0', 'prefetch-w1']);
      expect(trained).toBe(8);
      const index = readFileSync(join(dir, 'index.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).run_id as string);
      expect(index.sort()).toEqual(runs.map((r) => r.id).sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
