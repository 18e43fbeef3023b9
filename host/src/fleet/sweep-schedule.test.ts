// Scheduled runs in a sweep, on a real Mosquitto with worker executors: a layerwise run
// whose later segment starts from more θ than an executor takes goes to one that takes it,
// or fails before anything is sent when none does; a scheduled run keeps its executor for
// all its segments (no other run is handed to it between them); a run whose executor goes
// away between two segments runs again whole elsewhere — one complete log, written once,
// equal to the in-process run.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fleetOnMosquitto, sweepInto } from '../../testing/fleet-fixture.ts';
import { MODULE_PATH, REPO } from '../../testing/harness.ts';
import { readRunLog } from '../runlog/reader.ts';
import type { RunLogRecord } from '../runlog/schema.ts';
import { ModuleTarget, readModuleImage } from '../train/module-target.ts';
import { runTraining } from '../train/run.ts';
import { ThreadBackend } from './backends.ts';
import type { ExecutorBackend } from './executor.ts';
import { expandSweep, type SweepRun } from './sweep-grid.ts';
import { createRunPool, type RunPool } from './thread-target.ts';

const fleet = fleetOnMosquitto();
const iris = JSON.parse(readFileSync(join(REPO, 'examples/iris-nlr.json'), 'utf8')) as object;
// 4 qubits × 3 layers of hea: 24 parameters; its segments start from 0, 16, 24 and 24 values.
const layerwise = { ...iris, steps: 12, schedule: { kind: 'layerwise', groups: 3, final_phase: true } };
const restarts = { ...iris, steps: 9, schedule: { kind: 'restarts', count: 3 } };

let pool: RunPool;
beforeAll(() => {
  pool = createRunPool(2);
  fleet.onClose(() => pool.close());
});
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function sweep(runs: SweepRun[], waitMs = 60_000) {
  const dir = mkdtempSync(join(tmpdir(), 'qiot-sweep-schedule-'));
  dirs.push(dir);
  const notes: string[] = [];
  const image = await readModuleImage(MODULE_PATH);
  const result = await sweepInto(fleet.client, runs, dir, image.sha256, { waitMs, onNote: (n) => notes.push(n) });
  const index = readFileSync(join(dir, 'index.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { run_id: string; executor: string; status: string; error?: string });
  return { dir, result, notes, index };
}

/** The run's records as `qiot sim` makes them (in-process module), without the fields that differ by host or time. */
async function inProcess(run: SweepRun): Promise<unknown[]> {
  const records: RunLogRecord[] = [];
  await runTraining(new ModuleTarget(await readModuleImage(MODULE_PATH)), run.config, {
    qiotVersion: 'test',
    sinks: [(r) => records.push(r)],
  });
  return comparable(records);
}
const comparable = (records: readonly RunLogRecord[]) =>
  records.map(
    (r) =>
      r.type === 'header'
        ? { config: r.config, module: r.module_sha256 }
        : r.type === 'summary'
          ? { ...r, wall_time_s: 0 }
          : { ...r, step_us: 0 }, // times differ between two runs, everything else is bit for bit
  );
const logOf = (dir: string, run: SweepRun) => {
  const log = readRunLog(join(dir, `${run.id}.jsonl`));
  return comparable([log.header, ...log.steps, ...(log.summary ? [log.summary] : [])]);
};

/** A worker backend announcing itself as a board that takes at most `max` start θ values. */
function boardLike(inner: ThreadBackend, max: number, trains: { n: number }): ExecutorBackend {
  return {
    kind: 'board',
    identity: () => ({ ...inner.identity(), target: { kind: 'board', board: 'posix', firmware_version: 'test' }, maxStartParams: max }),
    info: () => inner.info(),
    flash: (m) => inner.flash(m),
    target: () => {
      trains.n++;
      return inner.target();
    },
  };
}

describe('a layerwise run and the start θ an executor takes', () => {
  it('goes to an executor that takes its largest start θ, and fails before anything is sent when none does', async () => {
    const image = await readModuleImage(MODULE_PATH);
    const trains = { n: 0 };
    const board = await fleet.executor(boardLike(new ThreadBackend(pool, image), 20, trains), { id: 'cap-board' });
    const worker = await fleet.executor(new ThreadBackend(pool, image), { id: 'cap-worker' });
    const runs = [
      ...expandSweep(layerwise, 'layerwise', { seeds: [1, 2], sets: [] }),
      ...expandSweep({ ...iris, steps: 4 }, 'plain', { seeds: [3, 4, 5], sets: [] }),
    ];
    const held = await sweep(runs);
    expect(held.result).toMatchObject({ completed: 5, failed: 0, requeued: 0 });
    for (const run of runs.slice(0, 2)) {
      expect(held.index.find((e) => e.run_id === run.id)?.executor).toBe('cap-worker');
      expect(logOf(held.dir, run)).toEqual(await inProcess(run));
    }

    await worker.close();
    const before = trains.n;
    const [run] = expandSweep(layerwise, 'layerwise', { seeds: [6], sets: [] });
    const refused = await sweep([run]);
    expect(refused.result).toMatchObject({ completed: 0, failed: 1, requeued: 0 });
    expect(refused.index).toEqual([
      expect.objectContaining({
        run_id: run.id,
        status: 'failed',
        executor: 'cap-board',
        error:
          'layerwise schedule: segment 2 starts from θ of 24 parameters; cap-board (a board: θ travels in one TRAIN_START frame) takes at most 20 — nothing was run (run it on a worker, or with qiot sim)',
      }),
    ]);
    const log = readRunLog(join(refused.dir, `${run.id}.jsonl`));
    expect(log.steps).toEqual([]);
    expect(log.summary?.status).toBe('failed');
    expect(trains.n).toBe(before); // the board was never asked to train it
    await board.close();
  }, 180_000);
});

describe('a scheduled run and its executor', () => {
  it('keeps its executor for all its segments: no other run is handed to it between them, none re-queued', async () => {
    const image = await readModuleImage(MODULE_PATH);
    const executors = [];
    for (const id of ['keep-w0', 'keep-w1']) executors.push(await fleet.executor(new ThreadBackend(pool, image), { id }));
    const runs = [
      ...expandSweep(layerwise, 'layerwise', { seeds: [1, 2], sets: [] }),
      ...expandSweep(restarts, 'restarts', { seeds: [1, 2], sets: [] }),
      ...expandSweep({ ...iris, steps: 5 }, 'plain', { seeds: [1, 2, 3, 4], sets: [] }),
    ];
    const { dir, result, notes } = await sweep(runs);
    expect(notes.filter((n) => n.includes('queued again'))).toEqual([]);
    expect(result).toMatchObject({ completed: 8, failed: 0, requeued: 0 });
    for (const run of runs.slice(0, 4)) expect(logOf(dir, run)).toEqual(await inProcess(run));
    for (const e of executors) await e.close();
  }, 180_000);

  it('runs again whole elsewhere when its executor goes away between two segments: one complete log, written once', async () => {
    const image = await readModuleImage(MODULE_PATH);
    let lost = false;
    /** Goes offline right after the `done` of its first segment: the sweep then sends segment 2 to nobody. */
    class LosingBackend extends ThreadBackend {
      override target(opts?: { trace?: boolean }) {
        const target = super.target(opts);
        const train = target.train.bind(target);
        target.train = async (steps, onStep) => {
          const end = await train(steps, onStep);
          if (!lost) {
            lost = true;
            setImmediate(() => {
              void losing.close('lost between segments').then(() => fleet.executor(new ThreadBackend(pool, image), { id: 'lose-b' }));
            });
          }
          return end;
        };
        return target;
      }
    }
    const losing = await fleet.executor(new LosingBackend(pool, image), { id: 'lose-a' });
    const [run] = expandSweep(layerwise, 'layerwise', { seeds: [7], sets: [] });
    const { dir, result, index, notes } = await sweep([run]);
    expect(lost).toBe(true);
    expect(result).toMatchObject({ completed: 1, failed: 0, requeued: 1 });
    expect(notes.some((n) => n.startsWith(`${run.id}: `) && n.endsWith('queued again'))).toBe(true);
    expect(index).toEqual([expect.objectContaining({ run_id: run.id, status: 'completed', executor: 'lose-b' })]);
    expect(readdirSync(dir).sort()).toEqual([`${run.id}.jsonl`, 'index.jsonl'].sort());
    expect(logOf(dir, run)).toEqual(await inProcess(run));
  }, 180_000);
});
