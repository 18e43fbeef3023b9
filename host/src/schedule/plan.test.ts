// The segments of a schedule, planned without running anything: shares that sum to the
// run's budget exactly, layerwise groups that grow the circuit and freeze what came before,
// restarts on their own seeds over the run's data set.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.ts';
import type { RunConfig } from '../config/schema.ts';
import { planSegments, segmentStarts, selectRestart, share, type SegmentEnd, type SegmentPlan } from './plan.ts';

/** Every segment, each told it spent `spend` of its budget and ended at θ = its index everywhere. */
function segments(cfg: RunConfig, spend = 1): SegmentPlan[] {
  const plan = planSegments(cfg);
  const out: SegmentPlan[] = [];
  let next = plan.next();
  while (!next.done) {
    const seg = next.value;
    out.push(seg);
    const params = new Array<number>(2 * seg.config.layers * seg.config.qubits).fill(seg.index + 1);
    const end: SegmentEnd = { steps: Math.floor(seg.config.steps * spend), shots: Math.floor(seg.config.shots.budget * spend), params };
    next = plan.next(end);
  }
  return out;
}

describe('share', () => {
  it('splits any total into integer parts that sum to it exactly and differ by at most one', () => {
    for (const total of [0, 1, 7, 100, 2_450_000, 98_001]) {
      for (const parts of [1, 2, 3, 6, 64]) {
        const shares = Array.from({ length: parts }, (_, i) => share(total, parts, i));
        expect(shares.reduce((a, b) => a + b, 0)).toBe(total);
        expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
      }
    }
  });
});

describe('restarts', () => {
  const cfg = parseConfig({
    cost: 'class-sq',
    dataset: { name: 'synthetic', samples: 20 },
    seed: 9,
    steps: 100,
    shots: { per_eval: 100, budget: 1_000_001 },
    schedule: { kind: 'restarts', count: 3 },
  });

  it('give every restart its own seed, the run’s data set and a share of exactly the run’s budget', () => {
    const segs = segments(cfg);
    expect(segs.map((s) => s.config.seed)).toEqual([9, 1_000_009, 2_000_009]);
    expect(segs.every((s) => s.config.dataset.seed === 9 && s.role === 'restart' && !s.start)).toBe(true);
    expect(segs.reduce((a, s) => a + s.config.steps, 0)).toBe(100);
    expect(segs.reduce((a, s) => a + s.config.shots.budget, 0)).toBe(1_000_001);
    expect(segs.every((s) => s.config.schedule === undefined && s.config.init === 'uniform')).toBe(true);
  });

  it('keep the restart with the lowest mean of its last losses; NaN never wins', () => {
    expect(
      selectRestart([
        [3, 1],
        [2, 2.5],
        [1, 2],
      ]),
    ).toBe(2);
    expect(selectRestart([[Number.NaN], [5]])).toBe(1);
    expect(selectRestart([[1], [1]])).toBe(0);
  });
});

describe('layerwise', () => {
  const base = { qubits: 3, layers: 5, ansatz: 'hea', steps: 40, seed: 2 } as const;

  it('grows the circuit group by group, training only the new layers from the carried θ, then all of them', () => {
    const segs = segments(parseConfig({ ...base, schedule: { kind: 'layerwise', groups: 3 } }));
    const perLayer = 2 * 3;
    expect(segs.map((s) => [s.role, s.config.layers, s.config.train_from, s.config.init])).toEqual([
      ['layers', 2, 0, 'uniform'],
      ['layers', 3, 2 * perLayer, 'host'],
      ['layers', 5, 3 * perLayer, 'host'],
      ['final', 5, 0, 'host'],
    ]);
    expect(segs[0]!.start).toBeUndefined();
    // The previous segment's θ (here: its index + 1 everywhere), the new layers at 0.
    expect(segs[1]!.start).toEqual([...new Array(2 * perLayer).fill(1), ...new Array(perLayer).fill(0)]);
    expect(segs[2]!.start).toEqual([...new Array(3 * perLayer).fill(2), ...new Array(2 * perLayer).fill(0)]);
    expect(segs[3]!.start).toEqual(new Array(5 * perLayer).fill(3));
  });

  it('gives each group 1/(2G) of the steps and the final phase what the groups left, so the total is the run’s', () => {
    for (const spend of [1, 0.5, 0]) {
      const segs = segments(parseConfig({ ...base, schedule: { kind: 'layerwise', groups: 3 } }), spend);
      const groups = segs.slice(0, 3);
      expect(groups.every((s) => s.config.steps === Math.floor(40 / 6))).toBe(true);
      const spent = groups.reduce((a, s) => a + Math.floor(s.config.steps * spend), 0);
      expect(segs[3]!.config.steps).toBe(40 - spent);
    }
  });

  it('without the final phase the last group trains on the rest; groups default to min(layers, 8)', () => {
    const segs = segments(parseConfig({ ...base, schedule: { kind: 'layerwise', final_phase: false } }));
    expect(segs.map((s) => s.role)).toEqual(['layers', 'layers', 'layers', 'layers', 'final']);
    expect(segs.map((s) => s.config.layers)).toEqual([1, 2, 3, 4, 5]);
    expect(segs.reduce((a, s) => a + s.config.steps, 0)).toBe(40);
    expect(parseConfig({ ...base, layers: 12, schedule: { kind: 'layerwise' } }).schedule).toEqual({
      kind: 'layerwise',
      groups: 8,
      final_phase: true,
    });
  });
});

describe('segmentStarts', () => {
  const base = { qubits: 4, layers: 3, ansatz: 'hea', cost: 'local', optimizer: { name: 'sgd', lr: 0.1 }, steps: 24, seed: 1 };
  it('gives the size of the θ each segment starts from without running it (0: its own θ₀)', () => {
    const layerwise = parseConfig({ ...base, schedule: { kind: 'layerwise', groups: 3, final_phase: true } });
    // hea: 2 parameters per qubit and layer; groups of 1 layer: starts at 2 and 3 layers, the final phase at all 3.
    expect(segmentStarts(layerwise)).toEqual([0, 16, 24, 24]);
    expect(segmentStarts(layerwise)).toEqual(segments(layerwise).map((s) => s.start?.length ?? 0));
    expect(segmentStarts(parseConfig({ ...base, schedule: { kind: 'layerwise', groups: 3, final_phase: false } }))).toEqual([0, 16, 24]);
    expect(segmentStarts(parseConfig({ ...base, schedule: { kind: 'restarts', count: 3 } }))).toEqual([0, 0, 0]);
    expect(segmentStarts(parseConfig(base))).toEqual([0]);
  });
});
