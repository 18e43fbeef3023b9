// Scheduled runs on the module in-process, checked against a second implementation that
// drives fresh module sessions by hand (experiments/session.ts): the same telemetry bit for
// bit; layerwise stages leave the frozen parameters untouched; restarts spend exactly the
// run's budget and keep the one the rule picks; a cut scheduled run resumes exactly.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.ts';
import type { RunConfig } from '../config/schema.ts';
import { openSession } from '../experiments/session.ts';
import { parseRunLog } from '../runlog/reader.ts';
import type { RunLogRecord, StepRecord } from '../runlog/schema.ts';
import { ModuleTarget, readModuleImage } from './module-target.ts';
import { planResume } from './resume.ts';
import { runTraining, type RunResult } from './run.ts';
import type { TrainingTarget } from './target.ts';
import { DEFAULT_MODULE_PATH } from '../wasm/module.ts';

const MODEL = {
  qubits: 3,
  ansatz: 'hea-zy',
  readout: 'mean-z',
  reupload: 1,
  cost: 'class-sq',
  dataset: { name: 'synthetic', samples: 24, seed: 4 },
  batch: 6,
  optimizer: { name: 'sgd', lr: 0.4 },
} as const;

/** The run through runTraining on a ModuleTarget, with θ at the start and end of every segment. */
async function scheduled(cfg: RunConfig) {
  const module = new ModuleTarget(await readModuleImage(DEFAULT_MODULE_PATH));
  const starts: number[][] = [];
  const ends: number[][] = [];
  const target: TrainingTarget = {
    identity: () => module.identity(),
    configure: (c, d) => module.configure(c, d),
    setStartParams: (theta) => module.setStartParams(theta),
    train: async (steps, onStep) => {
      starts.push(Array.from(module.initialParameters()));
      const end = await module.train(steps, onStep);
      ends.push(Array.from(end.params ?? []));
      return end;
    },
    stop: () => module.stop(),
  };
  const records: RunLogRecord[] = [];
  const result = await runTraining(target, cfg, { qiotVersion: 'test', sinks: [(r) => records.push(r)] });
  return { result, records, starts, ends };
}

/** Second implementation: one fresh session per segment, its config written out by hand. */
async function byHand(segment: object, cfg: RunConfig, steps: number, start?: number[]) {
  const { schedule: _, ...plain } = cfg;
  const session = await openSession(parseConfig({ ...plain, ...segment }), start);
  const raws: string[] = [];
  const losses: number[] = [];
  for (let t = 0; t < steps; t++) {
    const s = session.step();
    if (s.status === 2) break; // budget exhausted: the step did not run
    raws.push(Buffer.from(s.raw).toString('hex'));
    losses.push(s.loss);
  }
  return { raws, losses, theta: Array.from(session.params()) };
}

const rawsOf = (r: RunResult, segment?: number) => r.steps.filter((s) => segment === undefined || s.segment === segment).map((s) => s.raw);

describe('layerwise', () => {
  const cfg = parseConfig({ ...MODEL, layers: 3, steps: 24, schedule: { kind: 'layerwise', groups: 3 } });

  it('is the runs a person would do by hand, bit for bit, and freezes exactly the earlier layers in each stage', async () => {
    const { result, starts, ends } = await scheduled(cfg);
    const perLayer = 2 * 3;
    const steps = Math.floor(24 / 6);
    let theta: number[] | undefined;
    for (let g = 0; g < 3; g++) {
      const start = theta && [...theta, ...new Array(perLayer).fill(0)];
      const hand = await byHand({ layers: g + 1, train_from: g * perLayer, ...(start ? { init: 'host' } : {}) }, cfg, steps, start);
      expect(rawsOf(result, g)).toEqual(hand.raws);
      expect(ends[g]).toEqual(hand.theta);
      // Parameters below train_from: bit-identical across the stage; the new layer moved.
      const frozen = g * perLayer;
      expect(ends[g]!.slice(0, frozen)).toEqual(starts[g]!.slice(0, frozen));
      expect(ends[g]!.slice(frozen).some((v, j) => v !== starts[g]![frozen + j])).toBe(true);
      if (start) expect(starts[g]).toEqual(start);
      theta = hand.theta;
    }
    const final = await byHand({ init: 'host', steps: 12 }, cfg, 12, theta);
    expect(rawsOf(result, 3)).toEqual(final.raws);
    expect(result.summary.params).toEqual(final.theta);
    // The final phase moves the first layer's parameters too.
    expect(ends[3]!.slice(0, perLayer).some((v, j) => v !== starts[3]![j])).toBe(true);
    expect(result.steps.map((s) => s.step)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    expect(result.summary.steps).toBe(24);
  }, 60_000);
});

describe('restarts', () => {
  it('spend exactly the single run’s step budget in exact mode and keep the restart with the lowest last losses', async () => {
    const cfg = parseConfig({ ...MODEL, layers: 2, steps: 20, schedule: { kind: 'restarts', count: 3, select_last: 4 } });
    const { result } = await scheduled(cfg);
    const shares = [6, 7, 7];
    const hands = await Promise.all(shares.map((n, r) => byHand({ seed: 1 + 1_000_000 * r, dataset: { ...MODEL.dataset } }, cfg, n)));
    hands.forEach((hand, r) => {
      expect(rawsOf(result, r)).toEqual(hand.raws);
    });
    const scores = hands.map((h) => h.losses.slice(-4).reduce((a, b) => a + b, 0) / 4);
    const best = scores.indexOf(Math.min(...scores));
    expect(result.summary.schedule?.selected).toBe(best);
    expect(result.summary.schedule?.segments.map((s) => s.score)).toEqual(scores);
    expect(result.summary.params).toEqual(hands[best]!.theta);
    expect(result.summary.steps).toBe(20);
    expect(result.summary.schedule?.segments.reduce((a, s) => a + s.steps, 0)).toBe(20);
  }, 60_000);

  it('spend exactly the single run’s shot budget: the shares sum to it and no restart overspends its share', async () => {
    const budget = 400_001;
    const cfg = parseConfig({
      ...MODEL,
      layers: 2,
      steps: 1000,
      shots: { per_eval: 100, budget },
      schedule: { kind: 'restarts', count: 3 },
    });
    const single = await scheduled(parseConfig({ ...cfg, schedule: undefined }));
    const { result } = await scheduled(cfg);
    const segs = result.summary.schedule!.segments;
    expect(segs.reduce((a, s) => a + s.shot_budget, 0)).toBe(budget);
    expect(segs.reduce((a, s) => a + s.max_steps, 0)).toBe(1000);
    for (const s of segs) {
      expect(s.status).toBe('budget_exhausted');
      expect(s.shots).toBeLessThanOrEqual(s.shot_budget);
    }
    // Run-wide counters: shots_total of the last step is the shots of all restarts.
    expect(result.steps.at(-1)!.shots_total).toBe(result.summary.shots_used);
    expect(result.summary.shots_used).toBe(segs.reduce((a, s) => a + s.shots, 0));
    // A step costs the same in both; the single run spends what the restarts together do, to within one step per restart.
    const stepCost = single.result.steps[0]!.shots;
    expect(single.result.summary.shots_used).toBeLessThanOrEqual(budget);
    expect(single.result.summary.shots_used - result.summary.shots_used).toBeLessThanOrEqual(3 * stepCost);
  }, 60_000);
});

describe('resume of a scheduled run', () => {
  const cfg = parseConfig({ ...MODEL, layers: 2, steps: 16, schedule: { kind: 'layerwise', groups: 2 } });

  it('cut in its third segment, goes on to exactly the uninterrupted run', async () => {
    const full = await scheduled(cfg);
    const kept = full.records.filter((r) => r.type === 'header' || (r.type === 'step' && r.step <= 10));
    const text = kept.map((r) => JSON.stringify(r)).join('\n');
    const plan = planResume('cut.jsonl', parseRunLog(text, 'cut.jsonl'));
    const resumed = await runTraining(new ModuleTarget(await readModuleImage(DEFAULT_MODULE_PATH)), plan.config, {
      qiotVersion: 'test',
      sinks: [],
      resume: plan,
    });
    const strip = (s: StepRecord) => ({ ...s, step_us: 0 });
    expect(resumed.steps.map(strip)).toEqual(full.result.steps.map(strip));
    expect(resumed.summary.params).toEqual(full.result.summary.params);
    expect(resumed.summary.schedule).toEqual(full.result.summary.schedule);
  }, 60_000);

  it('is refused with a new total (it would change every segment) and after the schedule ended', async () => {
    const full = await scheduled(cfg);
    const text = full.records.map((r) => JSON.stringify(r)).join('\n');
    const cut = full.records.filter((r) => r.type !== 'summary').slice(0, 6);
    expect(() => planResume('a.jsonl', parseRunLog(cut.map((r) => JSON.stringify(r)).join('\n')), 30)).toThrow(
      /layerwise schedule, whose segments split its 16 steps: --steps 30 would change every segment/,
    );
    expect(() => planResume('b.jsonl', parseRunLog(text))).toThrow(/its layerwise schedule already ran to its end/);
  }, 60_000);
});

describe('a target that takes a limited start θ (a board: one TRAIN_START frame)', () => {
  // hea-zy on 3 qubits: 6 parameters a layer; 3 groups + final phase start from 0, 12, 18, 18 values.
  const cfg = parseConfig({ ...MODEL, layers: 3, steps: 16, schedule: { kind: 'layerwise', groups: 3, final_phase: true } });

  async function limited(max: number) {
    const module = new ModuleTarget(await readModuleImage(DEFAULT_MODULE_PATH));
    const trained: number[] = [];
    const target: TrainingTarget = {
      identity: () => module.identity(),
      configure: (c, d) => module.configure(c, d),
      setStartParams: (theta) => module.setStartParams(theta),
      startParamsLimit: () => ({ max, who: 'the test board' }),
      train: (steps, onStep) => {
        trained.push(steps);
        return module.train(steps, onStep);
      },
      stop: () => module.stop(),
    };
    const records: RunLogRecord[] = [];
    const run = runTraining(target, cfg, { qiotVersion: 'test', sinks: [(r) => records.push(r)] });
    return { run, records, trained };
  }

  it('is refused before its first segment when a later one starts from more θ, naming the segment and the limit', async () => {
    const { run, records, trained } = await limited(17);
    await expect(run).rejects.toThrow(
      'layerwise schedule: segment 2 starts from θ of 18 parameters; the test board takes at most 17 — nothing was run (run it on a worker, or with qiot sim)',
    );
    expect(trained).toEqual([]);
    expect(records.map((r) => r.type)).toEqual(['header', 'summary']);
    expect(records[1]).toMatchObject({ status: 'failed', steps: 0, error: expect.stringMatching(/segment 2 starts from θ of 18/) });
  }, 60_000);

  it('runs every segment when the largest start θ fits', async () => {
    const { run, trained } = await limited(18);
    expect((await run).summary.status).toBe('completed');
    expect(trained).toHaveLength(4);
  }, 60_000);
});
