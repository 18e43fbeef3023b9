// The study's layerwise, restarts and matched-perturbation runs are what a person gets with
// the run config's `schedule` and `--match-perturb` in `qiot sim`: the same loss trajectory
// and telemetry, bit for bit; `qiot report` and `qiot plot` read such logs.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.ts';
import { openSession } from '../experiments/session.ts';
import { readRunLog } from '../runlog/reader.ts';
import { matchedPerturbOfLog } from '../schedule/matched-perturb.ts';
import { qiot, scratchDir } from '../../testing/harness.ts';
import { methodConfig, STUDY_SHOT_BUDGET } from './design.ts';
import { matchedSigma, scheduledConfig, trainOnModule } from './methods.ts';

const scratch = scratchDir();
afterAll(() => scratch.remove());

/** The study's run config of a method, written as a file `qiot sim` reads. */
function studyRun(method: 'layerwise' | 'restarts', seed: number) {
  const hyper = { lr: 0.3, restarts: 3 };
  const shots = STUDY_SHOT_BUDGET * 0.2;
  const cfg = scheduledConfig(
    methodConfig('synthetic', 'class-sq', method, hyper, seed, shots),
    method,
    hyper,
    { shots, steps: 100_000 },
    'device',
  );
  const path = join(scratch.dir, `${method}.json`);
  writeFileSync(path, JSON.stringify(cfg));
  return { cfg, path };
}

describe('study methods = run-config options', () => {
  it.each(['layerwise', 'restarts'] as const)(
    '%s: qiot sim gives the study run’s loss trajectory bit for bit',
    async (method) => {
      const { cfg, path } = studyRun(method, 7);
      const study = await trainOnModule(cfg, 'device');
      const out = join(scratch.dir, `${method}.jsonl`);
      const sim = await qiot(['sim', '--config', path, '--out', out]);
      expect(sim.code, sim.stderr).toBe(0);
      const log = readRunLog(out);
      expect(log.header.config.schedule?.kind).toBe(method);
      expect(log.steps.map((s) => s.loss)).toEqual(study.steps.map((s) => s.loss));
      expect(log.steps.map((s) => s.raw)).toEqual(study.steps.map((s) => s.raw));
      expect(log.summary?.params).toEqual(study.summary.params);
      expect(log.summary?.schedule).toEqual(study.summary.schedule);
      expect(new Set(log.steps.map((s) => s.segment)).size).toBe(log.summary!.schedule!.segments.length);
      expect(log.summary!.shots_used).toBeLessThanOrEqual(cfg.shots.budget);

      if (method === 'restarts') return; // report and plot are checked once, on the layerwise log
      const report = await qiot(['report', out, '--out', join(scratch.dir, `${method}-report`)]);
      expect(report.code, report.stderr).toBe(0);
      const plot = await qiot(['plot', out, '--out', join(scratch.dir, `${method}.svg`)]);
      expect(plot.code, plot.stderr).toBe(0);
      expect(existsSync(join(scratch.dir, `${method}.svg`))).toBe(true);
    },
    120_000,
  );

  it('matched σ from an NLR run log equals the study pilot’s and Σ‖Δθ‖² over its ascent steps measured from θ itself', async () => {
    const base = parseConfig({ qubits: 3, layers: 4, ansatz: 'hea', cost: 'local', seed: 5, steps: 0 });
    const hyper = { lr: 0.5, ratio: 1, period: 3 };
    const steps = 45;
    const nlr = parseConfig({ ...base, steps, optimizer: { name: 'nlr', lr: 0.5, nlr: { mode: 'periodic', ratio: 1, period: 3 } } });
    const path = join(scratch.dir, 'nlr.json');
    writeFileSync(path, JSON.stringify(nlr));
    const out = join(scratch.dir, 'nlr.jsonl');
    expect((await qiot(['sim', '--config', path, '--out', out])).code).toBe(0);
    const fromLog = matchedPerturbOfLog(out, readRunLog(out));

    // Independent: the same NLR run stepped by hand, ‖Δθ‖² from θ before and after each ascent step.
    const session = await openSession(nlr);
    let ascent = 0;
    let ascentSteps = 0;
    for (let t = 0; t < steps; t++) {
      const before = Array.from(session.params());
      if (session.step().phase !== 1) continue;
      ascentSteps++;
      ascent += session.params().reduce((a, v, j) => a + (v - before[j]!) ** 2, 0);
    }
    const sigma = Math.sqrt(ascent / (session.paramCount * steps));
    expect(fromLog.ascent_steps).toBe(ascentSteps);
    expect(ascentSteps).toBe(15);
    expect(Math.abs(fromLog.sigma - sigma) / sigma).toBeLessThan(1e-9);
    // The study's pilot run of the same config computes the same σ bit for bit.
    expect(await matchedSigma(base, hyper, { shots: 0, steps }, 'device')).toBe(fromLog.sigma);

    // And `--match-perturb` puts it into the run's config and header.
    const pert = join(scratch.dir, 'pert.jsonl');
    const run = await qiot(['sim', '--config', path, '--optimizer', 'sgd', '--match-perturb', out, '--out', pert]);
    expect(run.code, run.stderr).toBe(0);
    const header = readRunLog(pert).header;
    expect(header.config.optimizer.perturb).toBe(fromLog.sigma);
    expect(header.perturb_matched_to).toEqual({ log: out, sigma: fromLog.sigma, steps, ascent_steps: 15 });
    const refused = await qiot(['sim', '--config', path, '--match-perturb', pert]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--match-perturb .*pert\.jsonl: it is a run of 'sgd', not of NLR/);
  }, 120_000);
});
