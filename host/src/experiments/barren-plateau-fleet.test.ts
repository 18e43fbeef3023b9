// barren-plateau's gradient batches through the fleet task pool (kind 'barren-plateau') on an
// embedded broker, with a real worker executor and one that dies holding the first task it takes
// (its socket cut, the broker publishes its will): that batch is queued again, runs on the real
// worker, and the result equals this thread's byte for byte.
import { afterAll, describe, expect, it } from 'vitest';
import { dyingWorker } from '../../testing/dying-worker.ts';
import { MODULE_PATH } from '../../testing/harness.ts';
import { ThreadBackend } from '../fleet/backends.ts';
import { startEmbeddedBroker, type EmbeddedBroker } from '../fleet/broker.ts';
import { FleetClient } from '../fleet/client.ts';
import { Executor } from '../fleet/executor.ts';
import { FleetTaskPool } from '../fleet/task-pool.ts';
import { TaskThreads } from '../fleet/task-threads.ts';
import { createRunPool } from '../fleet/thread-target.ts';
import { readModuleImage } from '../train/module-target.ts';
import { QIOT_VERSION } from '../version.ts';
import { BARREN_PLATEAU_QUICK, runBarrenPlateau } from './barren-plateau.ts';
import type { GradientBatch } from './gradient-batch.ts';

let broker: EmbeddedBroker | undefined;
afterAll(async () => {
  await broker?.close();
});

describe('barren-plateau on the fleet task pool', () => {
  it("a worker that dies holding a batch: the batch runs again elsewhere, the result is this thread's", async () => {
    const opts = {
      ...BARREN_PLATEAU_QUICK,
      qubits: [2, 3, 4],
      samples: 13,
      bootstrapResamples: 100,
      costs: ['local' as const, 'global' as const],
    };
    const here = await runBarrenPlateau(opts);

    broker = await startEmbeddedBroker(0, 0);
    const settings = { url: broker.url };
    const image = await readModuleImage(MODULE_PATH);
    const runs = createRunPool(1);
    const tasks = new TaskThreads(1);
    const worker = await Executor.start(settings, new ThreadBackend(runs, image, tasks), { id: 'bpfleet-worker-0' });
    const dying = await dyingWorker(broker.url, image.sha256, { id: 'bpfleet-dying', tasks: ['barren-plateau'] });
    const client = await FleetClient.connect(settings, 'bpfleet');
    const notes: string[] = [];
    const pool = new FleetTaskPool<GradientBatch, number[]>({
      client,
      kind: 'barren-plateau',
      qiotVersion: QIOT_VERSION,
      signal: new AbortController().signal,
      waitMs: 60_000,
      onNote: (t) => notes.push(t),
      label: (b) => `batch ${b.cost} n=${b.qubits} seeds ${b.from}..${b.to - 1}`,
    });
    try {
      const there = await runBarrenPlateau(opts, undefined, pool);
      expect(await dying.took).toBe('task');
      expect(notes.join('\n')).toMatch(
        /batch (local|global) n=\d seeds \d+\.\.\d+: bpfleet-dying went offline \(connection lost\) — queued again/,
      );
      expect(JSON.stringify(there)).toBe(JSON.stringify(here));
    } finally {
      await pool.close();
      dying.end();
      await client.close();
      await worker.close();
      await Promise.all([runs.close(), tasks.close()]);
    }
  }, 120_000);
});
