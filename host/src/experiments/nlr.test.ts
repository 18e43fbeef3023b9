import { describe, expect, it } from 'vitest';
import { compareWithBaselines, summarize } from './nlr-analysis.ts';
import { NLR_QUICK, NLR_TASKS } from './nlr-design.ts';
import { runNlr } from './nlr.ts';

describe('nlr experiment (quick)', async () => {
  const opts = { ...NLR_QUICK, tasks: ['synthetic' as const], optimizers: ['nlr' as const, 'sgd' as const, 'spsa' as const] };
  const result = await runNlr(opts);
  const budget = Math.round(NLR_TASKS.synthetic.shotBudget * opts.budgetScale);

  it('starts every optimizer from the same θ₀ per seed and different θ₀ across seeds', () => {
    expect(result.pairedInitVerified).toBe(true);
    for (const seed of opts.evaluationSeeds) {
      const starts = result.runs.filter((r) => r.seed === seed).map((r) => r.trajectory.theta0);
      expect(starts).toHaveLength(3);
      for (const t of starts) expect(t).toEqual(starts[0]);
    }
    const first = result.runs.filter((r) => r.optimizer === 'sgd').map((r) => r.trajectory.theta0[0]);
    expect(new Set(first).size).toBe(opts.evaluationSeeds.length);
  });

  it('gives every run the same shot budget and ends it there', () => {
    for (const run of result.runs) {
      expect(run.stop).toBe('budget');
      expect(run.shotsUsed).toBeLessThanOrEqual(budget);
      const perStep = run.trajectory.steps[0].shots;
      expect(budget - run.shotsUsed).toBeLessThan(perStep); // the next step would not have fit
    }
  });

  it('selects per optimizer the learning rate with the lowest mean tuning loss', () => {
    for (const optimizer of opts.optimizers) {
      const cells = result.sweep.filter((c) => c.optimizer === optimizer);
      expect(cells).toHaveLength(opts.learningRates.length);
      expect(cells.filter((c) => c.selected)).toHaveLength(1);
      const best = Math.min(...cells.map((c) => c.meanFinalLoss));
      expect(cells.find((c) => c.selected)!.meanFinalLoss).toBe(best);
      expect(result.runs.filter((r) => r.optimizer === optimizer).every((r) => r.lr === cells.find((c) => c.selected)!.lr)).toBe(true);
    }
  });

  it('measures the displacement consistently with the telemetry step norm', () => {
    for (const run of result.runs) {
      // After one step ‖θ₁ − θ₀‖² is the square of the step's own ‖θ_new − θ_old‖.
      expect(run.trajectory.squaredDisplacement[0]).toBeCloseTo(run.trajectory.steps[0].stepNorm ** 2, 10);
    }
  });

  it('computes win rates and summaries that agree with the per-seed results', () => {
    const comparisons = compareWithBaselines(result);
    expect(comparisons.map((c) => c.baseline)).toEqual(['sgd', 'spsa']);
    for (const c of comparisons) {
      const wins = opts.evaluationSeeds.filter((seed) => {
        const nlr = result.runs.find((r) => r.optimizer === 'nlr' && r.seed === seed)!.finalLoss;
        return nlr < result.runs.find((r) => r.optimizer === c.baseline && r.seed === seed)!.finalLoss;
      }).length;
      expect(c.winRate.wins).toBe(wins);
    }
    for (const s of summarize(result)) {
      const finals = result.runs.filter((r) => r.optimizer === s.optimizer).map((r) => r.finalLoss);
      expect(s.finalLoss.estimate).toBeCloseTo(finals.reduce((a, b) => a + b, 0) / finals.length, 12);
      expect(s.testAccuracy!.estimate).toBeGreaterThanOrEqual(0);
      expect(s.testAccuracy!.estimate).toBeLessThanOrEqual(1);
      expect(s.bestLoss.estimate).toBeLessThanOrEqual(s.finalLoss.estimate + 1e-12);
    }
  });
});
