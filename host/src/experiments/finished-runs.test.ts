// An experiment that is cut short keeps every finished run, and --resume runs only the others:
// the resumed result equals the uninterrupted one, and no finished run is run (recorded) twice.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FinishedRuns, plainRunCodec } from './finished-runs.ts';
import { NLR_QUICK } from './nlr-design.ts';
import { runNlr } from './nlr.ts';

const dir = mkdtempSync(join(tmpdir(), 'qiot-finished-'));
const opts = {
  ...NLR_QUICK,
  tasks: ['synthetic' as const],
  nlrModes: ['gated' as const],
  baselines: ['sgd' as const],
  learningRates: [0.3],
  tuningSeeds: [1001],
  evaluationSeeds: [1, 2],
};
const comparable = (r: Awaited<ReturnType<typeof runNlr>>) =>
  r.runs.map(({ wallTimeS: _w, ...run }) => ({ ...run, trajectory: { ...run.trajectory, steps: run.trajectory.steps.map((s) => s.raw) } }));

describe('finished runs of an experiment', () => {
  it('records each run as it ends; a resume after a cut reads them back and runs only the others', async () => {
    const path = join(dir, 'finished-runs.jsonl');
    const full = await runNlr(opts, undefined, new FinishedRuns(path, false));
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(2 + 4); // 2 sweep runs (one lr, one tuning seed) + 2 contenders × 2 seeds

    // Killed while writing run 4: three whole lines and half of the fourth.
    writeFileSync(path, `${lines.slice(0, 3).join('\n')}\n${lines[3]!.slice(0, 40)}`);
    expect(() => new FinishedRuns(path, false)).toThrow(/already holds 4 finished runs: add --resume/);
    const warnings: string[] = [];
    const kept = new FinishedRuns(path, true, (m) => warnings.push(m));
    expect(kept.count).toBe(3);
    expect(warnings).toEqual([expect.stringMatching(/finished-runs\.jsonl:4: torn last record removed/)]);

    const resumed = await runNlr(opts, undefined, kept);
    expect(comparable(resumed)).toEqual(comparable(full));
    expect(resumed.sweep).toEqual(full.sweep);
    // The 3 kept runs were not run again: the torn line was cut off and 3 new ones appended.
    const after = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(after).toHaveLength(3 + 3);
    expect(after.slice(0, 3)).toEqual(lines.slice(0, 3));
    expect(new FinishedRuns(path, true).count).toBe(6);
    // A run read back keeps its recorded wall time (it was not recomputed).
    expect(resumed.runs[0]!.wallTimeS).toBe(JSON.parse(lines[2]!).run.wallTimeS);
  });
});

describe('FinishedRuns.getOrRun', () => {
  it('runs a unit asked for twice at once only once, and records it once', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'qiot-finished-')), 'finished-runs.jsonl');
    const finished = new FinishedRuns<number[]>(path, false, undefined, plainRunCodec<number[]>());
    let calls = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const unit = async () => {
      calls++;
      await gate;
      return [1, Number.NaN];
    };
    const both = Promise.all([finished.getOrRun('a', unit), finished.getOrRun('a', unit)]);
    release();
    expect(await both).toEqual([
      [1, Number.NaN],
      [1, Number.NaN],
    ]);
    expect(calls).toBe(1);
    expect(readFileSync(path, 'utf8').trimEnd().split('\n')).toEqual(['{"key":"a","run":[1,"NaN"]}']);
    expect(await finished.getOrRun('a', unit)).toEqual([1, Number.NaN]);
    expect(calls).toBe(1);
  });
});
