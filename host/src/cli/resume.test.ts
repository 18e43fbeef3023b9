// `qiot sim --resume` and `qiot eval` end to end, as a user runs them (child
// processes on the real build/qiot.wasm). The independent truth for a resume is
// the uninterrupted run: k steps + resume to N must equal N steps bit for bit.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.ts';
import { readRunLog, type RunLog } from '../runlog/reader.ts';
import { ModuleTarget, readModuleImage } from '../train/module-target.ts';
import { exitCodeOf } from './exit-codes.ts';
import { resumePlanOf } from './run-options.ts';
import { runSession } from './run-session.ts';

const ROOT = new URL('../../../', import.meta.url).pathname;
const QIOT = join(ROOT, 'host/bin/qiot.js');
const IRIS = join(ROOT, 'examples/iris-nlr.json');
const SYNTHETIC = join(ROOT, 'examples/synthetic-nlr.json');
const dir = mkdtempSync(join(tmpdir(), 'qiot-resume-'));

function qiot(...args: string[]) {
  const r = spawnSync(process.execPath, [QIOT, ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A run log made in this process (what `qiot sim` does, without a process start). */
async function simLog(config: string, steps: number, name: string, optimizer?: string): Promise<string> {
  const out = join(dir, name);
  const cfg = loadConfig(config, { steps, optimizer });
  await runSession(new ModuleTarget(await readModuleImage()), cfg, { out, quiet: true });
  return out;
}

/** What the module computed (step_us and wall time are measurements). */
const computed = (log: RunLog) => ({
  steps: log.steps.map(({ step_us: _t, ...rest }) => rest),
  summary: log.summary && { ...log.summary, wall_time_s: 0 },
});

describe('qiot sim --resume', () => {
  // Gated NLR with shot noise and mini-batches (PRNG streams, phase state), and Adam (moments).
  it.each([
    ['synthetic-nlr (shots, gated NLR)', SYNTHETIC, undefined],
    ['iris adam', IRIS, 'adam'],
  ])('%s: 4 steps + resume to 10 equals 10 steps bit for bit', async (name, config, optimizer) => {
    const full = await simLog(config, 10, `full-${name.length}.jsonl`, optimizer);
    const part = await simLog(config, 4, `part-${name.length}.jsonl`, optimizer);
    const resumed = qiot('sim', '--resume', part, '--steps', '10');
    expect(resumed.code, resumed.stderr).toBe(0);
    const a = readRunLog(full);
    const b = readRunLog(part);
    expect(b.steps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(computed(b)).toEqual(computed(a));
    expect(b.summary?.params).toEqual(a.summary?.params);
    expect(b.header.resumes).toEqual([{ after_step: 4, started_at: expect.any(String), target: { kind: 'node' } }]);
    expect(existsSync(`${part}.resuming`)).toBe(false);
  });

  it('goes on with a killed run whose last line is torn, warning about that line; --out keeps the original', async () => {
    const full = await simLog(IRIS, 6, 'torn-full.jsonl');
    const lines = readFileSync(full, 'utf8').trimEnd().split('\n');
    // Killed while writing step 4: header, steps 1–3, half of step 4, no summary.
    const torn = join(dir, 'torn.jsonl');
    const tornText = `${lines.slice(0, 4).join('\n')}\n${lines[4]!.slice(0, 50)}`;
    writeFileSync(torn, tornText);
    const out = join(dir, 'torn-resumed.jsonl');
    const r = qiot('sim', '--resume', torn, '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${torn}:5: torn last record skipped`);
    expect(readFileSync(torn, 'utf8')).toBe(tornText);
    expect(computed(readRunLog(out))).toEqual(computed(readRunLog(full)));
  });

  it('refuses a log whose steps the module does not reproduce, leaving it unchanged (exit 1)', async () => {
    const path = await simLog(IRIS, 3, 'tampered.jsonl');
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    const step2 = JSON.parse(lines[2]!);
    step2.raw = `${step2.raw.slice(0, 126)}${step2.raw.slice(126) === '00' ? '01' : '00'}`;
    lines[2] = JSON.stringify(step2);
    const text = `${lines.join('\n')}\n`;
    writeFileSync(path, text);
    const r = qiot('sim', '--resume', path, '--steps', '5');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot resume .*tampered\.jsonl: recomputing step 2 gave a different telemetry record than the log/);
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it('refuses what would not go on: a finished run without a new total, clashing flags, a missing log (exit 2)', async () => {
    const path = await simLog(IRIS, 2, 'done.jsonl');
    const done = qiot('sim', '--resume', path);
    expect(done.code).toBe(2);
    expect(done.stderr).toContain('it already has 2 of its 2 steps; pass --steps N with N > 2');
    const refusal = (opts: Parameters<typeof resumePlanOf>[0]) => {
      try {
        resumePlanOf(opts);
      } catch (err) {
        return { code: exitCodeOf(err), message: (err as Error).message };
      }
      throw new Error('accepted');
    };
    expect(refusal({ resume: path, steps: 4, seed: 3, chart: true })).toEqual({
      code: 2,
      message: "--resume goes on with the logged run's own config: --seed cannot be combined with it (only --steps, the new total)",
    });
    expect(refusal({ resume: join(dir, 'none.jsonl'), chart: true })).toEqual({
      code: 2,
      message: `${join(dir, 'none.jsonl')}: no such file`,
    });
    expect(resumePlanOf({ resume: path, steps: 5, chart: true })?.config.steps).toBe(5);
  });
});

describe('qiot eval', () => {
  it("scores the final θ as the run's own summary did, and on another config's data", async () => {
    const path = await simLog(IRIS, 5, 'eval.jsonl');
    const summary = readRunLog(path).summary!;
    const r = qiot('eval', path, '--json');
    expect(r.code, r.stderr).toBe(0);
    const scores = JSON.parse(r.stdout);
    // A fresh module instance given θ by the host agrees with the training instance's exact evaluation.
    expect(scores.train_loss).toBe(summary.train_loss);
    expect(scores.test_loss).toBe(summary.test_loss);
    expect(scores.test_accuracy).toBe(summary.test_accuracy);
    expect(scores).toMatchObject({ n_train: 75, n_test: 25, dataset: 'Iris versicolor (+1) vs virginica (−1)' });
    // Train accuracy is a count of the 75 training samples: k/75 for an integer k in 0..75.
    const correct = scores.train_accuracy * 75;
    expect(Math.abs(correct - Math.round(correct))).toBeLessThan(1e-9);
    expect(Math.round(correct)).toBeGreaterThanOrEqual(0);
    expect(Math.round(correct)).toBeLessThanOrEqual(75);

    // Another split of the same data (a different dataset.seed) gives other, still valid, scores.
    const other = join(dir, 'iris-seed9.json');
    const cfg = JSON.parse(readFileSync(IRIS, 'utf8'));
    writeFileSync(other, JSON.stringify({ ...cfg, dataset: { ...cfg.dataset, seed: 9 } }));
    const moved = JSON.parse(qiot('eval', path, '--data', other, '--json').stdout);
    expect(moved.n_train).toBe(75);
    expect(moved.train_loss).not.toBe(scores.train_loss);

    const text = qiot('eval', path);
    expect(text.stdout).toMatch(/^exact train loss\s+\d\.\d{5}$/m);
    expect(text.stdout).toMatch(/^test accuracy\s+\d+\.\d %$/m);
  });

  it('names what is missing: a log without θ (exit 2)', async () => {
    const path = await simLog(IRIS, 2, 'no-theta.jsonl');
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    writeFileSync(path, `${lines.slice(0, -1).join('\n')}\n`);
    const r = qiot('eval', path);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no final θ (the run has no summary); go on with it first: qiot sim --resume');
  });
});
