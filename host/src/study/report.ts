// Markdown and JSON of the study (docs/results/study/).
import type { ExperimentOutput } from '../experiments/output.ts';
import { fmt, fmtCI, markdownTable } from '../report/markdown-table.ts';
import { formatPercent } from '../ui/format.ts';
import type { BootstrapCI } from '../stats/bootstrap.ts';
import { verdict, type Comparison, type MethodSummary } from './analysis.ts';
import { isNlr } from './design.ts';
import type { StudyResult } from './study.ts';

const ci = (c: BootstrapCI) => fmtCI(c);
const pct = (v: number) => `${v >= 0 ? '+' : ''}${fmt(v, 2)} %`;

function hyperText(h: Record<string, number>): string {
  return Object.entries(h)
    .map(([k, v]) => `${k === 'lr' ? 'η' : k} ${fmt(v, 3)}`)
    .join(', ');
}

function classicalTable(r: StudyResult): string {
  return markdownTable(
    ['task', 'chance (majority) train / test acc', 'logistic regression train / test acc', 'logistic test cross-entropy'],
    Object.entries(r.classical).map(([task, c]) => [
      task,
      `${formatPercent(c.chanceTrainAccuracy)} / ${formatPercent(c.chanceTestAccuracy)}`,
      `${formatPercent(c.logisticTrainAccuracy)} / ${formatPercent(c.logisticTestAccuracy)}`,
      fmt(c.logisticTestXent, 3),
    ]),
  );
}

function methodTable(r: StudyResult, task: string, loss: string): string {
  const tunings = r.tuning.find((t) => t.task === task && t.loss === loss)!.tunings;
  const rows = r.summaries
    .filter((s) => s.task === task && s.loss === loss)
    .map((s: MethodSummary) => {
      const t = tunings.find((x) => x.method === s.method)!;
      return [
        s.method,
        hyperText(t.chosen.hyper),
        `${t.trials.length}${t.edge ? ` (η on ${t.edge} edge of [${fmt(t.lrRange[0])}, ${fmt(t.lrRange[1])}])` : ''}`,
        ci(s.median.trainLoss),
        ci(s.mean.trainLoss),
        ci(s.median.testLoss),
        ci(s.mean.testAccuracy),
        ci(s.median.msdLive),
        ci(s.median.functionDistance),
        isNlr(s.method) ? `${fmt(100 * s.negativeFraction, 3)} %` : '—',
        s.numericRuns,
      ];
    });
  return markdownTable(
    [
      'method',
      'chosen (tuning)',
      'configs tried',
      'median train loss',
      'mean train loss',
      'median test loss',
      'mean test acc',
      'median MSD (live θ)',
      'median function distance',
      'negative steps',
      'numeric failures',
    ],
    rows,
  );
}

function comparisonTable(cs: readonly Comparison[]): string {
  return markdownTable(
    ['NLR variant', 'vs', 'NLR wins / ties / losses', 'median (other − NLR) [95 % CI]', 'mean lower by', 'Wilcoxon p', 'Holm p', 'verdict'],
    cs.map((c) => [
      c.nlr,
      c.other,
      `${c.wins} / ${c.ties} / ${c.losses}`,
      ci(c.medianDifference),
      pct(c.meanLowerPct),
      fmt(c.p, 2),
      fmt(c.pHolm, 2),
      verdict(c),
    ]),
  );
}

export function studyMarkdown(r: StudyResult): string {
  const o = r.options;
  const parts = [
    '# Optimizer study\n',
    `${o.tasks.length} task(s) × ${o.losses.length} loss(es); methods: ${o.methods.join(', ')}.`,
    `Tuning: ${o.configsPerMethod} random configurations per method and round on seeds ${o.tuningSeeds.join(', ')} (up to ${o.maxWidenings} widenings of η); evaluation seeds ${o.evaluationSeeds[0]}…${o.evaluationSeeds.at(-1)} (${o.evaluationSeeds.length}); bootstrap ${o.bootstrapResamples} resamples; ${o.workers > 0 ? `${o.workers} worker thread(s)` : "the fleet's workers"}; wall time ${fmt(r.wallTimeS / 60, 3)} min.\n`,
    '## Reference points\n',
    classicalTable(r),
  ];
  for (const t of r.tuning) {
    const cs = r.comparisons.filter((c) => c.task === t.task && c.loss === t.loss);
    parts.push(
      `## ${t.task}, ${t.loss}\n`,
      methodTable(r, t.task, t.loss),
      '\n### Final training loss, paired by seed\n',
      comparisonTable(cs.filter((c) => c.metric === 'trainLoss')),
      '\n### Held-out (test) loss, paired by seed\n',
      comparisonTable(cs.filter((c) => c.metric === 'testLoss')),
    );
  }
  return parts.join('\n') + '\n';
}

export function writeStudy(r: StudyResult, out: ExperimentOutput): void {
  out.json('study.json', r);
  out.text('study.md', studyMarkdown(r));
}
