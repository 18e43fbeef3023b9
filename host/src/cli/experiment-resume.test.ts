// `qiot experiment study` interrupted by Ctrl-C (SIGINT) keeps the runs its worker threads
// finished, refuses the same --out without --resume (exit 2), and with --resume runs only the
// others: the report equals an uninterrupted run's and no run is recorded twice.
// deep-plateau: the same store and option (its cut-and-resume is in study/deep-plateau.test.ts).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const QIOT = new URL('../../bin/qiot.js', import.meta.url).pathname;
const run = (...args: string[]) => spawnSync(process.execPath, [QIOT, ...args], { encoding: 'utf8' });
const STUDY = ['experiment', 'study', '--quick', '--methods', 'nlr-gated,sgd', '--seeds', '2', '--workers', '2'];

const lines = (dir: string) => {
  const path = join(dir, 'finished-runs.jsonl');
  return existsSync(path)
    ? readFileSync(path, 'utf8')
        .split('\n')
        .filter((l) => l.endsWith('}'))
    : [];
};
const keys = (dir: string) => lines(dir).map((l) => JSON.parse(l).key as string);
/** The report without its wall time (the only thing a resumed run measures differently). */
const report = (dir: string) => ({
  json: JSON.stringify({ ...JSON.parse(readFileSync(join(dir, 'study.json'), 'utf8')), wallTimeS: 0 }),
  md: readFileSync(join(dir, 'study.md'), 'utf8').replace(/wall time [\d.]+ min/, 'wall time'),
});

/** Starts the study into `out` and sends SIGINT once `k` runs are in its finished-runs.jsonl. */
function interruptAfter(out: string, k: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const child = spawn(process.execPath, [QIOT, ...STUDY, '--out', out], { stdio: 'ignore' });
  return new Promise((resolve) => {
    const poll = setInterval(() => {
      if (lines(out).length >= k) {
        clearInterval(poll);
        child.kill('SIGINT');
      }
    }, 20);
    child.on('exit', (code, signal) => {
      clearInterval(poll);
      resolve({ code, signal });
    });
  });
}

describe('experiment study --resume', () => {
  it('Ctrl-C keeps the finished runs; --resume runs only the others and writes the uninterrupted report', async () => {
    const whole = mkdtempSync(join(tmpdir(), 'qiot-study-'));
    const first = run(...STUDY, '--out', whole);
    expect(first.status, first.stderr).toBe(0);
    const all = keys(whole);
    expect(new Set(all).size).toBe(all.length);

    const out = mkdtempSync(join(tmpdir(), 'qiot-study-cut-'));
    const stopped = await interruptAfter(out, 3);
    let kept = keys(out);
    if (stopped.signal === null) {
      // The study ended before the signal arrived (it takes seconds; the poll reacts in
      // milliseconds, so this should not happen): cut it as a kill would have.
      writeFileSync(join(out, 'finished-runs.jsonl'), `${lines(out).slice(0, 3).join('\n')}\n`);
      kept = keys(out);
    }
    expect(kept.length).toBeGreaterThanOrEqual(3);
    expect(kept.length).toBeLessThan(all.length);

    const refused = run(...STUDY, '--out', out);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(`finished-runs.jsonl already holds ${kept.length} finished runs: add --resume`);

    const resumed = run(...STUDY, '--out', out, '--resume');
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`qiot: ${kept.length} finished records read from`);
    // Nothing run twice: the kept lines stay first, each run is recorded exactly once.
    expect(keys(out).slice(0, kept.length)).toEqual(kept);
    expect(keys(out).sort()).toEqual([...all].sort());
    expect(report(out)).toEqual(report(whole));
  }, 300_000);
});

describe('experiment deep-plateau --resume', () => {
  it('refuses an --out holding finished runs without --resume (exit 2), before any work', () => {
    const out = mkdtempSync(join(tmpdir(), 'qiot-deep-'));
    writeFileSync(join(out, 'finished-runs.jsonl'), '{"key":"k","run":[0.5]}\n');
    const r = run('experiment', 'deep-plateau', '--quick', '--out', out);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('finished-runs.jsonl already holds 1 finished runs: add --resume');
    expect(existsSync(join(out, 'command.txt'))).toBe(false);
  });
});
