import { describe, expect, it } from 'vitest';
import { cutAndResume } from '../../testing/cut-and-resume.ts';
import { plainRunCodec } from './finished-runs.ts';
import { DEMO_RX, LOCAL_GLOBAL_QUICK, type LocalGlobalRun, runLocalGlobal } from './local-global.ts';

describe('local-global experiment (quick)', async () => {
  const result = await runLocalGlobal(LOCAL_GLOBAL_QUICK);
  const demo = (cost: string) => result.runs.find((r) => r.cost === cost && r.seed === null)!;

  it('starts from the analytic costs of the demo point RX = 3, RY = 0', () => {
    // Each qubit is cos(1.5)|0⟩ − i sin(1.5)|1⟩; the CNOT chain keeps |0…0⟩ and qubit 0 unchanged.
    const p0 = Math.cos(DEMO_RX / 2) ** 2;
    expect(demo('local').exactCost[0]).toBeCloseTo(1 - p0, 6);
    expect(demo('global').exactCost[0]).toBeCloseTo(1 - p0 ** 6, 6);
  });

  it('keeps the global cost on its plateau while the local cost trains', () => {
    const g = demo('global');
    expect(Math.min(...g.exactCost)).toBeGreaterThan(0.999);
    expect(g.sampledLoss.every((l) => l === 1)).toBe(true); // p(0…0) ≈ 1.6e-14: no shot ever sees |0…0⟩
    const l = demo('local');
    expect(l.exactCost.at(-1)!).toBeLessThan(l.exactCost[0] - 0.05);
  });

  it('runs every start for both costs, within the shot budget', () => {
    const starts = 1 + 2 * LOCAL_GLOBAL_QUICK.seeds.length;
    expect(result.runs).toHaveLength(2 * starts);
    for (const run of result.runs) {
      expect(run.exactCost).toHaveLength(LOCAL_GLOBAL_QUICK.steps + 1);
      expect(run.stop).toBe('steps');
      expect(run.shotsTotal % LOCAL_GLOBAL_QUICK.shots).toBe(0);
    }
  });
});

describe('local-global experiment cut short and resumed', () => {
  it('keeps each finished training run; --resume runs only the others and gives the uninterrupted result', async () => {
    const opts = { ...LOCAL_GLOBAL_QUICK, seeds: [1], steps: 3 };
    const r = await cutAndResume(plainRunCodec<LocalGlobalRun>(), 2, (finished) => runLocalGlobal(opts, undefined, finished));
    expect(r.linesBefore).toHaveLength(6); // 3 starts × 2 costs
    expect(r.refusal).toMatch(/already holds 3 finished runs: add --resume/);
    expect(r.keptCount).toBe(2);
    expect(r.warnings).toEqual([expect.stringMatching(/finished-runs\.jsonl:3: torn last record removed/)]);
    expect(r.resumed).toEqual(r.full);
    // The 2 kept runs were not run again: the torn line was cut off and 4 new ones appended.
    expect(r.linesAfter).toHaveLength(2 + 4);
    expect(r.linesAfter.slice(0, 2)).toEqual(r.linesBefore.slice(0, 2));
  });
});
