// The deep-plateau experiment: escape-rate statistics on hand-made cases, the shot budgets,
// perturbed GD's noise matched to NLR, and the quick run end to end on two workers.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.ts';
import { matchedSigma, runConfigured } from './methods.ts';
import { compareEscape, escapeConfig, escapeRates, wilson, type EscapeRun } from './deep-escape.ts';
import { DEEP_PLATEAU_QUICK, type DeepUnit, runDeepPlateau } from './deep-plateau-run.ts';
import { cutAndResume } from '../../testing/cut-and-resume.ts';
import { plainRunCodec } from '../experiments/finished-runs.ts';
import { openSession } from '../experiments/session.ts';

describe('escape statistics', () => {
  it('Wilson 95 % intervals match hand-computed values', () => {
    const half = wilson(5, 10);
    expect(half.low).toBeCloseTo(0.2366, 4);
    expect(half.high).toBeCloseTo(0.7634, 4);
    const none = wilson(0, 10);
    expect(none.low).toBe(0);
    expect(none.high).toBeCloseTo(0.2775, 4);
  });

  it('counts escapes per (mode, n, method) and pairs seeds for the Wilcoxon test', () => {
    const run = (method: 'nlr-gated' | 'sgd', seed: number, finalCost: number): EscapeRun => ({
      mode: 'exact',
      qubits: 4,
      layers: 16,
      method,
      seed,
      initialCost: 0.5,
      finalCost,
      escaped: finalCost <= 0.4,
      steps: 10,
      shots: 0,
    });
    const runs = [1, 2, 3, 4, 5, 6].flatMap((s) => [run('nlr-gated', s, 0.3 - s / 100), run('sgd', s, s <= 2 ? 0.35 : 0.45 + s / 100)]);
    const rates = escapeRates(runs);
    expect(rates.find((r) => r.method === 'nlr-gated')).toMatchObject({ escaped: 6, runs: 6 });
    expect(rates.find((r) => r.method === 'sgd')).toMatchObject({ escaped: 2, runs: 6, medianFinalCost: 0.485 });
    const [c] = compareEscape(runs);
    // NLR lower on all 6 seeds: the exact two-sided signed-rank p is 2/2⁶.
    expect(c).toMatchObject({ wins: 6, losses: 0 });
    expect(c.p).toBeCloseTo(2 / 64, 10);
    expect(c.pHolm).toBeCloseTo(c.p, 10);
  });
});

describe('budgets', () => {
  const o = { build: 'host' as const, steps: 5, shotsPerEval: 20 };
  it('shots mode: the shots of `steps` parameter-shift steps (2P + 1 evaluations each); exact mode: no shots', () => {
    const ps = escapeConfig('shots', 3, 4, 'sgd', { lr: 0.1 }, 1, o);
    const params = 2 * 3 * 4;
    expect(ps.budget).toEqual({ shots: 5 * (2 * params + 1) * 20, steps: 5 });
    expect(ps.cfg.shots.budget).toBe(5 * (2 * params + 1) * 20);
    expect(escapeConfig('shots', 3, 4, 'spsa', { lr: 0.1 }, 1, o).budget.steps).toBe(5 * (2 * params + 1));
    expect(escapeConfig('exact', 3, 4, 'sgd', { lr: 0.1 }, 1, o).budget).toEqual({ shots: 0, steps: 5 });
  });

  it('layerwise and restarts in exact mode stay within the step budget', async () => {
    for (const method of ['layerwise', 'restarts'] as const) {
      const r = await runConfigured(escapeConfig('exact', 3, 8, method, { lr: 0.3, restarts: 3 }, 2, { ...o, steps: 24 }));
      expect(r.steps).toBeLessThanOrEqual(24);
      expect(r.steps).toBeGreaterThan(12);
    }
  }, 120_000);
});

it('perturbed-matched: with a negligible η the injected Σ‖Δθ‖² equals periodic NLR’s ascent-step total (4 SE)', async () => {
  const hyper = { lr: 0.5, ratio: 1, period: 3 };
  const steps = 60;
  const cfg = parseConfig({ qubits: 3, layers: 4, ansatz: 'hea', cost: 'local', seed: 5, init_range: 2 * Math.PI }, 'test');
  const sigma = await matchedSigma(cfg, hyper, { shots: 0, steps }, 'device');
  // Independent: the NLR run by hand, summing its ascent steps' ‖Δθ‖².
  const nlr = await openSession(
    parseConfig({ ...cfg, optimizer: { name: 'nlr', lr: 0.5, nlr: { mode: 'periodic', ratio: 1, period: 3 } } }, 'test'),
  );
  let ascent = 0;
  for (let t = 0; t < steps; t++) {
    const before = Array.from(nlr.params());
    const s = nlr.step();
    if (s.phase === 1) ascent += nlr.params().reduce((a, v, j) => a + (v - before[j]) ** 2, 0);
  }
  expect(ascent).toBeGreaterThan(0);
  // Perturbed GD with η ≈ 0 and that σ: the noise alone, Σ over steps of ‖Δθ‖² ≈ T·P·σ².
  const pert = await openSession(parseConfig({ ...cfg, optimizer: { name: 'sgd', lr: 1e-12, perturb: sigma } }, 'test'));
  const theta0 = Array.from(pert.params());
  let injected = 0;
  for (let t = 0; t < steps; t++) {
    const before = Array.from(pert.params());
    pert.step();
    injected += pert.params().reduce((a, v, j) => a + (v - before[j]) ** 2, 0);
  }
  const draws = steps * theta0.length;
  // Σ of T·P squared N(0, σ²) draws: mean T·P·σ², standard deviation σ²·√(2·T·P).
  expect(Math.abs(injected - ascent)).toBeLessThan(4 * sigma ** 2 * Math.sqrt(2 * draws));
}, 120_000);

it('deep-plateau --quick end to end: depths within tolerance, every method on every seed, escapes = final C ≤ threshold; resumed after a cut, the same', async () => {
  // Recorded into finished-runs.jsonl as the workers answer; cut after three quarters of the
  // units (and half of the next) and resumed from there: only the others are run, the result is the same.
  const cut = await cutAndResume(
    plainRunCodec<DeepUnit>(),
    (lines) => Math.floor((lines * 3) / 4),
    (finished) => runDeepPlateau({ ...DEEP_PLATEAU_QUICK, build: 'host', workers: 2 }, undefined, finished),
  );
  const r = cut.full;
  const o = DEEP_PLATEAU_QUICK;
  for (const c of r.chosen) {
    const first = r.scan.find((row) => row.qubits === c.qubits && row.withinTolerance);
    expect(c.layers).toBe(first?.layers ?? null);
  }
  const expected =
    (o.escape.exactQubits.length + o.escape.shotQubits.length - r.skipped.length) *
    o.escape.methods.length *
    o.escape.evaluationSeeds.length;
  expect(r.escape.runs).toHaveLength(expected);
  // Units: each scan point's gradient batches and each escape run (tuning and evaluation).
  const batches = r.scan.length * Math.ceil(o.scan.samples / Math.ceil(o.scan.samples / 8));
  const tuned = r.escape.tunings.reduce((a, m) => a + m.tunings.reduce((b, t) => b + t.trials.length * o.escape.tuningSeeds.length, 0), 0);
  const keys = (lines: string[]) => lines.map((l) => JSON.parse(l).key as string);
  expect(cut.linesBefore).toHaveLength(batches + tuned + expected);
  expect(new Set(keys(cut.linesBefore)).size).toBe(cut.linesBefore.length);
  const keep = Math.floor((cut.linesBefore.length * 3) / 4);
  expect(cut.refusal).toMatch(new RegExp(`already holds ${keep + 1} finished runs: add --resume`));
  expect(cut.keptCount).toBe(keep);
  expect(cut.linesAfter.slice(0, keep)).toEqual(cut.linesBefore.slice(0, keep));
  expect(keys(cut.linesAfter).sort()).toEqual(keys(cut.linesBefore).sort());
  const { wallTimeS: _a, ...full } = cut.full;
  const { wallTimeS: _b, ...resumed } = cut.resumed;
  expect(resumed).toEqual(full);
  for (const run of r.escape.runs) {
    expect(run.escaped).toBe(run.finalCost <= o.escape.threshold);
    if (run.mode === 'exact') expect(run.shots).toBe(0);
    else expect(run.shots).toBeGreaterThan(0);
    if (run.method === 'perturbed-matched') expect(run.matchedSigma).toBeGreaterThan(0);
  }
}, 300_000);
