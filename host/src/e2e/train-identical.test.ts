// The board runs the same module bit-identically: the 64-byte telemetry records
// streamed by the posix board (wasm3) equal the records of the in-process module
// (Node's engine) for the same config and seed — exact and sampled (shots) runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../config/load.ts';
import { BoardTarget } from '../device/board-target.ts';
import { ModuleTarget, readModuleImage } from '../train/module-target.ts';
import { runTraining } from '../train/run.ts';
import type { TrainingTarget } from '../train/target.ts';
import type { RunLogRecord, SummaryRecord } from '../runlog/schema.ts';
import { join } from 'node:path';
import { MODULE_PATH, readModule, REPO, startBoard, type BoardSession } from '../../testing/harness.ts';

const STEPS = 6;

async function rawRecords(target: TrainingTarget, configPath: string) {
  const cfg = loadConfig(join(REPO, configPath), { steps: STEPS });
  const result = await runTraining(target, cfg, { qiotVersion: 'e2e', sinks: [] });
  return { raws: result.steps.map((s) => s.raw), summary: result.summary };
}

describe('posix board vs in-process module', () => {
  let session: BoardSession;
  beforeAll(async () => {
    session = await startBoard();
    const flashed = await session.client.upload(readModule());
    expect(flashed.committed).toBe(true);
  });
  afterAll(() => session?.close());

  it.each(['examples/iris-nlr.json', 'examples/synthetic-nlr.json'])('%s: telemetry records are bit-identical', async (configPath) => {
    const image = await readModuleImage(MODULE_PATH);
    const node = await rawRecords(new ModuleTarget(image), configPath);
    const board = await rawRecords(new BoardTarget(session.client), configPath);
    expect(node.raws).toHaveLength(STEPS);
    expect(board.raws).toEqual(node.raws);
    expect(board.summary.status).toBe('completed');
    // End-of-run evaluations are exact functions of the same θ, so they agree bit for bit too.
    expect(board.summary.train_loss).toBe(node.summary.train_loss);
    expect(board.summary.test_accuracy).toBe(node.summary.test_accuracy);
    expect(board.summary.shots_used).toBe(node.summary.shots_used);
    expect(board.summary.params).toEqual(node.summary.params); // final θ read back with PARAMS_READ
  });

  it('telemetry keeps counting across runs (tseq) and nothing was lost', async () => {
    const status = await session.client.status();
    expect(status.nextTseq).toBe(2 * STEPS + 1);
    const fetched = await session.client.fetchTelemetry(1);
    expect(fetched.frames.map((f) => f.tseq)).toEqual(Array.from({ length: 2 * STEPS }, (_, i) => i + 1));
    expect(fetched.missing).toBe(0);
  });

  it('a layerwise schedule (θ carried into each segment with TRAIN_START) gives the same log as the module', async () => {
    const cfg = loadConfig(join(REPO, 'examples/synthetic-nlr.json'), { steps: 8 });
    const scheduled = parseConfig({ ...cfg, layers: 2, shots: { per_eval: 0, budget: 0 }, schedule: { kind: 'layerwise', groups: 2 } });
    const run = async (target: TrainingTarget) => {
      const records: RunLogRecord[] = [];
      await runTraining(target, scheduled, { qiotVersion: 'e2e', sinks: [(r) => records.push(r)] });
      // Everything but the header's target and timing.
      return records.map((r) =>
        r.type === 'header'
          ? { ...r, target: null, started_at: null }
          : r.type === 'summary'
            ? { ...r, wall_time_s: 0 }
            : { ...r, step_us: 0 },
      );
    };
    const node = await run(new ModuleTarget(await readModuleImage(MODULE_PATH)));
    const board = await run(new BoardTarget(session.client));
    const summary = node.at(-1) as SummaryRecord;
    expect(summary.schedule?.segments.map((s) => [s.role, s.start, s.train_from])).toEqual([
      ['layers', 'seeded', 0],
      ['layers', 'carried', 8],
      ['final', 'carried', 0],
    ]);
    expect(node.filter((r) => r.type === 'step')).toHaveLength(8);
    expect(board).toEqual(node);
  });
});
