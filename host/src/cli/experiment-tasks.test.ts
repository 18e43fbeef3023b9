// `qiot experiment study|deep-plateau` through the fleet (each pool unit a `task`), through the CLI:
// - `--threads 2` (an embedded broker of its own + 2 worker threads in the process) writes the same
//   result files as a local `--workers 2` run, but for wall times;
// - on a real Mosquitto with in-process workers: --resume from a cut finished-runs.jsonl runs only the
//   other units, and the task of a worker that dies holding it is run again elsewhere; the result
//   again equals the local run's;
// - broker down, no worker, --workers with the fleet: message and exit code.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MODULE_PATH, qiot, scratchDir } from '../../testing/harness.ts';
import { dyingWorker } from '../../testing/dying-worker.ts';
import { startMosquitto, type Mosquitto } from '../../testing/mosquitto.ts';
import { expectFleetRefusals, ownEmbeddedBroker } from '../../testing/experiment-fleet-cli.ts';
import { expectSameResults } from '../../testing/same-results.ts';
import { ThreadBackend } from '../fleet/backends.ts';
import { Executor } from '../fleet/executor.ts';
import { TaskThreads } from '../fleet/task-threads.ts';
import { createRunPool } from '../fleet/thread-target.ts';
import { readModuleImage } from '../train/module-target.ts';

const scratch = scratchDir();
const out = (name: string) => join(scratch.dir, name);
let mosquitto: Mosquitto | null = null;

afterAll(async () => {
  await mosquitto?.stop();
  scratch.remove();
});

/** Quick runs with fewer methods and seeds (every kind of unit still there: schedules, the matched pilot, gradient batches). */
const STUDY = ['experiment', 'study', '--quick', '--methods', 'nlr-gated,layerwise,restarts', '--seeds', '2'];
const DEEP = ['experiment', 'deep-plateau', '--quick', '--methods', 'perturbed-matched,restarts', '--seeds', '2'];

describe('qiot experiment study|deep-plateau on the fleet', () => {
  it('--threads 2 writes the same result files as a local run (study and deep-plateau, quick)', async () => {
    // All four at once: the machine's cores are shared anyway, and the test takes the longest one's time.
    const outcomes = await Promise.all([
      qiot([...STUDY, '--workers', '2', '-o', out('study-local')]),
      qiot([...STUDY, '--threads', '2', '-o', out('study-fleet')], undefined, { env: await ownEmbeddedBroker() }),
      qiot([...DEEP, '--workers', '2', '-o', out('deep-local')]),
      qiot([...DEEP, '--threads', '2', '-o', out('deep-fleet')], undefined, { env: await ownEmbeddedBroker() }),
    ]);
    for (const r of outcomes) expect(r.code, r.stderr).toBe(0);
    // study.json, study.md, finished-runs.jsonl (+ figures, if any); deep-plateau.json, .md, finished-runs.jsonl.
    expectSameResults(out('study-local'), out('study-fleet'), 3);
    expectSameResults(out('deep-local'), out('deep-fleet'), 3);
    const units = (dir: string) =>
      readFileSync(join(out(dir), 'finished-runs.jsonl'), 'utf8')
        .trimEnd()
        .split('\n');
    expect(units('study-fleet').length).toBeGreaterThan(12);
    expect(units('deep-fleet').some((l) => l.includes('\\"kind\\":\\"gradients\\"'))).toBe(true);
    expect(units('deep-fleet').some((l) => l.includes('\\"kind\\":\\"run\\"'))).toBe(true);
  }, 300_000);

  it('on Mosquitto: --resume runs only the missing units, and the task of a worker that died is run again', async () => {
    mosquitto = await startMosquitto();
    const image = await readModuleImage(MODULE_PATH);
    // An interrupted invocation: half the units kept, the next one torn mid-write.
    const dir = out('study-resumed');
    mkdirSync(dir);
    const lines = readFileSync(join(out('study-fleet'), 'finished-runs.jsonl'), 'utf8')
      .trimEnd()
      .split('\n');
    const kept = Math.floor(lines.length / 2);
    writeFileSync(join(dir, 'finished-runs.jsonl'), `${lines.slice(0, kept).join('\n')}\n${lines[kept]!.slice(0, 50)}`);
    const pool = createRunPool(1);
    const tasks = new TaskThreads(2);
    const workers = await Promise.all(
      [0, 1].map((i) => Executor.start({ url: mosquitto!.url }, new ThreadBackend(pool, image, tasks), { id: `exptask-mq-${i}` })),
    );
    const dying = await dyingWorker(mosquitto.url, image.sha256, { id: 'exptask-dying', tasks: ['study'] });
    try {
      const r = await qiot([...STUDY, '--broker', mosquitto.url, '--resume', '-o', dir]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`${kept} finished records read`);
      expect(r.stderr).toMatch(/torn last record removed/);
      expect(await dying.took).toBe('task');
      expect(r.stderr).toMatch(
        /task .* on synthetic class-sq, seed \d+, .*: exptask-dying went offline \(connection lost\) — queued again/,
      );
      const after = readFileSync(join(dir, 'finished-runs.jsonl'), 'utf8').trimEnd().split('\n');
      expect(after).toHaveLength(lines.length);
      expect(after.slice(0, kept)).toEqual(lines.slice(0, kept));
      // Run on the fleet's workers alone: the report says so instead of a thread count.
      expect(readFileSync(join(dir, 'study.md'), 'utf8')).toContain("the fleet's workers; wall time");
      const onTheFleet = (text: string) =>
        text.replace('2 worker thread(s)', "the fleet's workers").replace('"workers": 2,', '"workers": 0,');
      expect(readFileSync(join(out('study-local'), 'study.md'), 'utf8')).toContain('2 worker thread(s)');
      expectSameResults(out('study-local'), dir, 3, onTheFleet);
    } finally {
      dying.end();
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all([pool.close(), tasks.close()]);
    }
  }, 300_000);

  it('names a broker that is down, a fleet without workers, and --workers with the fleet', async () => {
    await expectFleetRefusals((extra, which) => ['experiment', which === 'down' ? 'deep-plateau' : 'study', '--quick', ...extra], out);
  }, 120_000);
});
