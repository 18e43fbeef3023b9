// Prefetch on a real Mosquitto, checked by the order of messages, never by time:
// an executor running a run keeps one `queue`d train and starts it right after
// that run's `done`, refuses a third as busy, and runs each kept run exactly once;
// a run's last telemetry batch (fewer records than a full batch) arrives before
// its `done`; a sweep over two worker executors hands each a second run while the
// first runs, and every run is executed and written exactly once.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODULE_PATH, REPO } from '../../testing/harness.ts';
import { startMosquitto, type Mosquitto } from '../../testing/mosquitto.ts';
import { readModuleImage } from '../train/module-target.ts';
import type { StepTelemetry, TargetSummary, TrainingTarget } from '../train/target.ts';
import { ThreadBackend } from './backends.ts';
import { FleetClient } from './client.ts';
import { Executor, type ExecutorBackend } from './executor.ts';
import { FLEET } from './limits.ts';
import type { Reply } from './messages.ts';
import { expandSweep } from './sweep-grid.ts';
import { SweepOutput } from './sweep-output.ts';
import { runSweep } from './sweep-run.ts';
import { createRunPool } from './thread-target.ts';

const RECORDS = 3; // fewer than FLEET.telemetryBatchMax: the run's only batch is the final one

/** Each run emits RECORDS records (first byte = its tag) once `release(tag)` is called. */
class ScriptedTarget implements TrainingTarget {
  static readonly releases = new Map<number, () => void>();
  static trained: number[] = [];
  async identity() {
    return { target: { kind: 'node' as const }, moduleSha256: 'b'.repeat(64), abiVersion: 1 };
  }
  async configure(config: Uint8Array): Promise<void> {
    this.tag = config[0];
  }
  private tag = 0;
  async train(_steps: number, onStep: (s: StepTelemetry) => void): Promise<TargetSummary> {
    ScriptedTarget.trained.push(this.tag);
    await new Promise<void>((r) => ScriptedTarget.releases.set(this.tag, r));
    for (let i = 0; i < RECORDS; i++) onStep({ raw: new Uint8Array(64).fill(this.tag) });
    return { status: 'completed', trainLoss: 0.5, testLoss: 0.5, testAccuracy: 1, shotsTotal: 0, paramCount: 1 };
  }
  stop(): void {}
}

const scripted: ExecutorBackend = {
  kind: 'worker',
  identity: () => ({ target: { kind: 'node' }, moduleSha256: 'b'.repeat(64), abiVersion: 1 }),
  info: async () => ({}),
  flash: async () => ({ sha256: '', committed: false }),
  target: () => new ScriptedTarget(),
};

let broker: Mosquitto;
let client: FleetClient;
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  broker = await startMosquitto();
  client = await FleetClient.connect({ url: broker.url }, 'test', { persistent: true });
  await client.watchTelemetry();
});

afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  await client?.close();
  await broker?.stop();
});

const until = async (check: () => boolean) => {
  while (!check()) await new Promise((r) => setTimeout(r, 20));
};

describe('an executor keeps one queued run', () => {
  it('queues one, refuses a third, starts the kept one after done, runs each once; the last batch precedes done', async () => {
    const executor = await Executor.start({ url: broker.url }, scripted, { id: 'prefetch-0' });
    closers.push(() => executor.close());
    await until(() => client.statuses.get('prefetch-0')?.state === 'online');
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
    await until(() => ScriptedTarget.releases.has(1));
    ScriptedTarget.releases.get(1)!();
    await until(() => ScriptedTarget.releases.has(2));
    ScriptedTarget.releases.get(2)!();
    await until(() => events.includes('done 2'));
    const telemetry = (tag: number) => Array(RECORDS).fill(`telemetry ${tag}`);
    expect(events).toEqual(['ok 1', 'queued 2', 'error 3 busy', ...telemetry(1), 'done 1', 'ok 2', ...telemetry(2), 'done 2']);
    expect(ScriptedTarget.trained).toEqual([1, 2]);
    await until(() => {
      const s = client.statuses.get('prefetch-0');
      return s?.state === 'online' && s.busy === null && s.next === null;
    });
  }, 60_000);
});

describe('a sweep prefetches', () => {
  it('hands each of two executors a second run while the first runs; every run is executed and written once', async () => {
    const pool = createRunPool(2);
    closers.push(() => pool.close());
    const image = await readModuleImage(MODULE_PATH);
    let trained = 0;
    class CountingBackend extends ThreadBackend {
      override target() {
        trained++;
        return super.target();
      }
    }
    for (const id of ['prefetch-w0', 'prefetch-w1']) {
      const executor = await Executor.start({ url: broker.url }, new CountingBackend(pool, image), { id });
      closers.push(() => executor.close());
    }
    await until(() => ['prefetch-w0', 'prefetch-w1'].every((id) => client.statuses.get(id)?.state === 'online'));
    const kept = new Set<string>();
    const unwatch = client.onStatus((s) => {
      if (s.state === 'online' && s.next) kept.add(s.id);
    });
    const raw = { ...(JSON.parse(readFileSync(join(REPO, 'examples/iris-nlr.json'), 'utf8')) as object), steps: 5 };
    const runs = expandSweep(raw, 'iris-nlr.json', { seeds: [1, 2, 3, 4, 5, 6, 7, 8], sets: [] });
    const dir = mkdtempSync(join(tmpdir(), 'qiot-prefetch-'));
    try {
      const result = await runSweep({
        client,
        runs,
        output: new SweepOutput(dir, runs, false),
        moduleSha256: image.sha256,
        qiotVersion: 'test',
        signal: new AbortController().signal,
        waitMs: FLEET.sweepWaitS * 1000,
      });
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
