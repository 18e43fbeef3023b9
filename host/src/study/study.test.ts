// The quick study end to end on two worker threads: every method tuned with the same number
// of configurations, evaluated on every seed within the shot budget, compared pairwise; cut
// short and resumed (--resume), the same result.
import { describe, expect, it } from 'vitest';
import { STUDY_QUICK, STUDY_SHOT_BUDGET } from './design.ts';
import { cutAndResume } from '../../testing/cut-and-resume.ts';
import { plainRunCodec } from '../experiments/finished-runs.ts';
import { runMethod, type RunMetrics } from './methods.ts';
import { runStudy } from './study.ts';
import { drawConfigs, edgeOf } from './tuning.ts';

describe('runStudy --quick', () => {
  it('tunes, evaluates and compares every method within budget; cut short and resumed, gives the same result', async () => {
    const opts = { ...STUDY_QUICK, workers: 2 };
    // Recorded into finished-runs.jsonl as the workers answer; then cut after 9 runs (and half
    // of the 10th) and resumed from there: only the others are run, the result is the same.
    const cut = await cutAndResume(plainRunCodec<RunMetrics>(), 9, (finished) => runStudy(opts, undefined, undefined, finished));
    const r = cut.full;
    const keys = (lines: string[]) => lines.map((l) => JSON.parse(l).key as string);
    const tuned = r.tuning[0].tunings.reduce((a, t) => a + t.trials.length * opts.tuningSeeds.length, 0);
    expect(cut.linesBefore).toHaveLength(tuned + r.runs.length);
    expect(new Set(keys(cut.linesBefore)).size).toBe(cut.linesBefore.length);
    expect(cut.refusal).toMatch(/already holds 10 finished runs: add --resume/);
    expect(cut.keptCount).toBe(9);
    expect(cut.linesAfter.slice(0, 9)).toEqual(cut.linesBefore.slice(0, 9));
    expect(cut.linesAfter).toHaveLength(cut.linesBefore.length);
    expect(keys(cut.linesAfter).sort()).toEqual(keys(cut.linesBefore).sort());
    const { wallTimeS: _a, ...full } = cut.full;
    const { wallTimeS: _b, ...resumed } = cut.resumed;
    expect(resumed).toEqual(full);
    const budget = STUDY_SHOT_BUDGET * opts.budgetScale;
    const tunings = r.tuning[0].tunings;
    expect(tunings.map((t) => t.method)).toEqual(opts.methods);
    for (const t of tunings) {
      // Every round draws the same number of configurations for every method.
      const rounds = Math.max(...t.trials.map((x) => x.round)) + 1;
      expect(t.trials).toHaveLength(rounds * opts.configsPerMethod);
      expect(t.trials.every((x) => x.losses.length === opts.tuningSeeds.length)).toBe(true);
    }
    expect(r.runs).toHaveLength(opts.methods.length * opts.evaluationSeeds.length);
    for (const run of r.runs) {
      expect(run.shots).toBeLessThanOrEqual(budget);
      expect(run.shots).toBeGreaterThan(0);
      expect(opts.tuningSeeds).not.toContain(run.seed);
    }
    // NLR-gated vs each of the 4 non-NLR methods, on training and test loss.
    expect(r.comparisons).toHaveLength(2 * 4);
    for (const c of r.comparisons) expect(c.pHolm).toBeGreaterThanOrEqual(c.p);
  }, 300_000);
});

describe('methods', () => {
  const base = { task: 'synthetic' as const, loss: 'class-sq' as const, seed: 3, budgetScale: 0.06 };

  it('layerwise and restarts stay within the one budget and spend most of it', async () => {
    const budget = STUDY_SHOT_BUDGET * base.budgetScale;
    for (const method of ['layerwise', 'restarts'] as const) {
      const r = await runMethod({ ...base, method, hyper: { lr: 0.3, restarts: 3 } });
      expect(r.shots).toBeLessThanOrEqual(budget);
      expect(r.shots).toBeGreaterThan(0.5 * budget);
    }
  }, 120_000);

  it('a run with a negligible η hardly moves θ or the function; the same seed gives the same metrics', async () => {
    const t = { ...base, method: 'sgd' as const, hyper: { lr: 1e-9 } };
    const a = await runMethod(t);
    expect(a.msdLive).toBeLessThan(1e-12);
    expect(a.functionDistance).toBeLessThan(1e-6);
    expect(await runMethod(t)).toEqual(a);
  }, 120_000);
});

describe('tuning', () => {
  it('draws reproducible configurations inside the space and flags outer-tenth choices of η', () => {
    const configs = drawConfigs('nlr-periodic', { kind: 'log', low: 0.01, high: 3 }, 50, 9);
    expect(drawConfigs('nlr-periodic', { kind: 'log', low: 0.01, high: 3 }, 50, 9)).toEqual(configs);
    for (const c of configs) {
      expect(c.lr).toBeGreaterThanOrEqual(0.01);
      expect(c.lr).toBeLessThanOrEqual(3);
      expect(Number.isInteger(c.period) && c.period >= 2 && c.period <= 20).toBe(true);
      expect(c.ratio).toBeGreaterThanOrEqual(0.1);
    }
    const range = { kind: 'log' as const, low: 0.01, high: 1 };
    expect(edgeOf(0.011, range)).toBe('low');
    expect(edgeOf(0.1, range)).toBeNull();
    expect(edgeOf(0.9, range)).toBe('high');
  });
});
