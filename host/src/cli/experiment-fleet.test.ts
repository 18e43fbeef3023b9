// `qiot experiment nlr --broker` end to end, through the CLI as a user runs it:
// - on the embedded broker (aedes) with a `qiot worker` process: every result file of nlr
//   and local-global equals the local run's byte for byte, except nlr's measured wall times and start times;
// - on a real Mosquitto with in-process workers: --resume from a cut finished-runs.jsonl
//   (torn last line) runs only the others, and a worker that dies holding a job has that
//   job run again elsewhere; the result is again the local run's;
// - broker down, no worker: message and exit code.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODULE_PATH, QIOT_CLI, qiot, REPO, scratchDir } from '../../testing/harness.ts';
import { dyingWorker } from '../../testing/dying-worker.ts';
import { freePort, startMosquitto, type Mosquitto } from '../../testing/mosquitto.ts';
import { expectSameResults, filesIn } from '../../testing/same-results.ts';
import { ThreadBackend } from '../fleet/backends.ts';
import { startEmbeddedBroker, type EmbeddedBroker } from '../fleet/broker.ts';
import { Executor } from '../fleet/executor.ts';
import { createRunPool } from '../fleet/thread-target.ts';
import { readModuleImage } from '../train/module-target.ts';

const scratch = scratchDir();
const LOCAL = join(scratch.dir, 'local');
const FLEET_OUT = join(scratch.dir, 'fleet');
let embedded: EmbeddedBroker;
let worker: ChildProcess;
let mosquitto: Mosquitto | null = null;

beforeAll(async () => {
  embedded = await startEmbeddedBroker(0, 0);
  worker = spawn(process.execPath, [QIOT_CLI, 'worker', '--broker', embedded.url, '--threads', '2', '--id-prefix', 'expfleet'], {
    cwd: REPO,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let said = '';
  await new Promise<void>((resolve, reject) => {
    worker.stderr!.on('data', (d: Buffer) => {
      said += d.toString();
      if (said.includes('online')) resolve();
    });
    worker.on('exit', (code) => reject(new Error(`qiot worker exited (${code}): ${said}`)));
  });
}, 120_000);

afterAll(async () => {
  worker?.kill('SIGTERM');
  await embedded?.close();
  await mosquitto?.stop();
  scratch.remove();
});

describe('qiot experiment nlr --broker', () => {
  it('nlr and local-global (its demo start θ₀ sent with the job) through a qiot worker on the embedded broker write the same result files as the local runs', async () => {
    const [lgLocal, lgFleet] = [join(scratch.dir, 'lg-local'), join(scratch.dir, 'lg-fleet')];
    // All four at once: the machine's cores are shared anyway, and the test takes the longest one's time.
    const outcomes = await Promise.all([
      qiot(['experiment', 'nlr', '--quick', '-o', LOCAL]),
      qiot(['experiment', 'nlr', '--quick', '--broker', embedded.url, '-o', FLEET_OUT]),
      qiot(['experiment', 'local-global', '--quick', '-o', lgLocal]),
      qiot(['experiment', 'local-global', '--quick', '--broker', embedded.url, '-o', lgFleet]),
    ]);
    for (const r of outcomes) expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(FLEET_OUT, 'finished-runs.jsonl'), 'utf8').trimEnd().split('\n')).toHaveLength(112);
    expectSameResults(LOCAL, FLEET_OUT, 61); // JSON, Markdown, figures, 48 run logs, the report

    const files = filesIn(lgLocal).filter((f) => f !== 'command.txt');
    expect(files.length).toBeGreaterThan(4);
    expect(filesIn(lgFleet).filter((f) => f !== 'command.txt')).toEqual(files);
    for (const f of files) {
      const [x, y] = [readFileSync(join(lgLocal, f)), readFileSync(join(lgFleet, f))];
      if (f === 'finished-runs.jsonl') expect(y.toString().trimEnd().split('\n').sort()).toEqual(x.toString().trimEnd().split('\n').sort());
      else expect(y.equals(x), f).toBe(true); // no time fields in local-global's files
    }
  }, 300_000);

  it('on Mosquitto: --resume runs only the missing runs, and the job of a worker that died is run again', async () => {
    mosquitto = await startMosquitto();
    const image = await readModuleImage(MODULE_PATH);
    // An interrupted invocation: 40 runs kept, the 41st torn mid-write.
    const out = join(scratch.dir, 'resumed');
    mkdirSync(out);
    const lines = readFileSync(join(FLEET_OUT, 'finished-runs.jsonl'), 'utf8').trimEnd().split('\n');
    writeFileSync(join(out, 'finished-runs.jsonl'), `${lines.slice(0, 40).join('\n')}\n${lines[40]!.slice(0, 50)}`);
    const pool = createRunPool(2);
    const workers = await Promise.all(
      [0, 1].map((i) => Executor.start({ url: mosquitto!.url }, new ThreadBackend(pool, image), { id: `expfleet-mq-${i}` })),
    );
    const dying = await dyingWorker(mosquitto.url, image.sha256);
    try {
      const r = await qiot(['experiment', 'nlr', '--quick', '--broker', mosquitto.url, '--resume', '-o', out]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('40 finished records read');
      expect(r.stderr).toMatch(/torn last record removed/);
      expect(await dying.took).toBe('train');
      expect(r.stderr).toMatch(/expfleet-dying went offline .* — queued again/);
      const after = readFileSync(join(out, 'finished-runs.jsonl'), 'utf8').trimEnd().split('\n');
      expect(after).toHaveLength(112);
      expect(after.slice(0, 40)).toEqual(lines.slice(0, 40));
      expectSameResults(LOCAL, out, 61);
    } finally {
      dying.end();
      await Promise.all(workers.map((w) => w.close()));
      await pool.close();
    }
  }, 300_000);

  it('names a broker that is down and a fleet without workers', async () => {
    const empty = await startEmbeddedBroker(0, 0);
    try {
      const [down, none] = await Promise.all([
        qiot(['experiment', 'nlr', '--quick', '--broker', `mqtt://127.0.0.1:${await freePort()}`, '-o', join(scratch.dir, 'down')]),
        qiot(['experiment', 'nlr', '--quick', '--broker', empty.url, '--wait', '3', '-o', join(scratch.dir, 'none')]),
      ]);
      expect(down.code).toBe(3);
      expect(down.stderr).toMatch(/cannot reach the MQTT broker at mqtt:\/\/127\.0\.0\.1:\d+/);
      expect(none.code).toBe(3);
      expect(none.stderr).toContain('waiting for executors (no executor is online); giving up after 3 s');
      expect(none.stderr).toContain('no executor took a run for 3 s: no executor is online; start `qiot worker` on this broker');
    } finally {
      await empty.close();
    }
  }, 120_000);
});
