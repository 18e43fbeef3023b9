// Writes the NLR comparison: JSON, Markdown tables (sweep, summary, paired
// comparison), figures per task, run logs and the generic run report on them.
import { join } from 'node:path';
import { loadDataset } from '../data/load.ts';
import { bandChart } from '../report/charts.ts';
import { thin } from '../report/curve-bands.ts';
import { writeFigure } from '../report/figure-files.ts';
import { fmt, fmtCI, markdownTable } from '../report/markdown-table.ts';
import type { BootstrapCI } from '../stats/bootstrap.ts';
import { formatPercent } from '../ui/format.ts';
import { REPORT_SETTINGS, reportRuns } from '../report/run-report.ts';
import { seriesFromRunLog } from '../report/run-series.ts';
import { readRunLog } from '../runlog/reader.ts';
import { compareWithBaselines, curves, summarize, type ContenderSummary, type NlrComparison } from './nlr-analysis.ts';
import { contendersOf, NLR_TASKS, NLR_VARIANT_PARAMS } from './nlr-design.ts';
import type { NlrResult } from './nlr.ts';
import type { ExperimentOutput } from './output.ts';
import { writeRunLog } from './run-logs.ts';

const ci = (c: BootstrapCI | null, format?: (v: number) => string) => (c ? fmtCI(c, format) : '—');

export function sweepMarkdown(result: NlrResult): string {
  const lrs = result.options.learningRates;
  return result.options.tasks
    .map((task) => {
      const rows = contendersOf(result.options).map((contender) => [
        contender,
        ...lrs.map((lr) => {
          const cell = result.sweep.find((c) => c.task === task && c.contender === contender && c.lr === lr)!;
          return `${fmt(cell.meanFinalLoss)}${cell.selected ? ' **←**' : ''}`;
        }),
      ]);
      return `### ${task}\n\n${markdownTable(['contender', ...lrs.map((lr) => `lr ${lr}`)], rows)}`;
    })
    .join('\n');
}

export function summaryMarkdown(summaries: readonly ContenderSummary[], comparisons: readonly NlrComparison[], loss: string): string {
  const tasks = [...new Set(summaries.map((s) => s.task))];
  return tasks
    .map((task) => {
      const own = summaries.filter((s) => s.task === task);
      const table = markdownTable(
        [
          'contender',
          'lr',
          'seeds',
          'exact train loss (final θ)',
          'best exact train loss',
          'test accuracy',
          'mean ‖g‖',
          'final ‖θ − θ₀‖²',
          'steps',
          'shots',
          'negative phases',
        ],
        own.map((s) => [
          s.contender,
          s.lr,
          s.seeds,
          ci(s.finalLoss),
          ci(s.bestLoss),
          ci(s.testAccuracy, formatPercent),
          ci(s.meanGradNorm),
          ci(s.finalMsd),
          fmt(s.meanSteps),
          fmt(s.meanShots),
          formatPercent(s.negativeFraction),
        ]),
      );
      const paired = markdownTable(
        [
          'NLR variant',
          'vs',
          'win rate (NLR exact train loss lower)',
          'ties',
          'mean exact train loss: NLR lower by',
          'paired difference baseline − NLR [95% CI]',
        ],
        comparisons
          .filter((c) => c.task === task)
          .map((c) => [
            c.nlr,
            c.baseline,
            `${c.winRate.wins}/${c.winRate.pairs} = ${fmt(c.winRate.rate)}`,
            c.winRate.ties,
            `${fmt(c.relativeImprovementPct)}%`,
            ci(c.pairedDifference),
          ]),
      );
      return `### ${task}: ${NLR_TASKS[task].description}${NLR_TASKS[task].base.cost ? '' : `, ${loss}`}\n\n${table}\n${paired}`;
    })
    .join('\n');
}

export async function writeNlr(
  result: NlrResult,
  out: ExperimentOutput,
): Promise<{ summaries: ContenderSummary[]; comparisons: NlrComparison[] }> {
  const summaries = summarize(result);
  const comparisons = compareWithBaselines(result);
  const curveSets = curves(result);
  out.json('nlr.json', {
    options: result.options,
    pairedInitVerified: result.pairedInitVerified,
    nlrVariantParams: NLR_VARIANT_PARAMS,
    sweep: result.sweep,
    summaries,
    comparisons,
    runs: result.runs.map(({ trajectory, config, ...metrics }) => ({ ...metrics, theta0: trajectory.theta0 })),
    curves: curveSets,
  });
  out.text(
    'nlr-sweep.md',
    `# NLR experiment: learning-rate sweep\n\nMean final exact training loss over the tuning seeds ${result.options.tuningSeeds.join(', ')}; **←** marks each contender's selected learning rate.\n\n${sweepMarkdown(result)}`,
  );
  out.text(
    'nlr-summary.md',
    `# NLR experiment: evaluation seeds ${result.options.evaluationSeeds[0]}–${result.options.evaluationSeeds.at(-1)}\n\n` +
      `Intervals: 95% percentile bootstrap over seeds, ${result.options.bootstrapResamples} resamples. ` +
      `Every contender started from the same θ₀ per seed (verified: ${result.pairedInitVerified}). ` +
      `NLR variant parameters (fixed a priori): ${variantParamsText()}.\n\n${summaryMarkdown(summaries, comparisons, result.options.classificationLoss)}`,
  );
  const band = `mean over ${result.options.evaluationSeeds.length} seeds, band: 95% bootstrap`;
  for (const task of result.options.tasks) {
    const own = curveSets.filter((c) => c.task === task);
    const figs = [
      bandChart(
        own.map((c) => ({ name: c.contender, points: thin(c.loss, REPORT_SETTINGS.maxCurvePoints) })),
        {
          title: `${task}: exact training loss vs shots`,
          subtitle: band,
          xTitle: 'shots used',
          yTitle: 'training loss',
        },
      ),
      bandChart(
        own.map((c) => ({ name: c.contender, points: thin(c.gradNorm, REPORT_SETTINGS.maxCurvePoints) })),
        {
          title: `${task}: gradient norm`,
          subtitle: band,
          xTitle: 'shots used',
          yTitle: '‖g‖₂',
          logY: own.every((c) => c.gradNorm.every((p) => p.low > 0)),
        },
      ),
      bandChart(
        own.map((c) => ({ name: c.contender, points: thin(c.msd, REPORT_SETTINGS.maxCurvePoints) })),
        {
          title: `${task}: mean-squared displacement ‖θ_t − θ_0‖²`,
          subtitle: band,
          xTitle: 'shots used',
          yTitle: 'MSD',
        },
      ),
    ];
    const names = ['loss-vs-shots', 'grad-norm', 'msd'];
    for (let i = 0; i < figs.length; i++) out.record(Object.values(await writeFigure(figs[i], out.path(`nlr-${task}-${names[i]}`))));
    await writeRunLogsAndReport(result, task, out);
  }
  return { summaries, comparisons };
}

function variantParamsText(): string {
  const p = NLR_VARIANT_PARAMS;
  return `ρ = ${p.ratio} (all), period k = ${p.period}, probability p = ${p.prob}, patience m = ${p.patience}`;
}

async function writeRunLogsAndReport(result: NlrResult, task: string, out: ExperimentOutput): Promise<void> {
  const paths: string[] = [];
  const order = contendersOf(result.options);
  // Seed-major order, so the report's NLR phase timeline shows every variant on the first seeds.
  const runs = result.runs
    .filter((r) => r.task === task)
    .sort((a, b) => a.seed - b.seed || order.indexOf(a.contender) - order.indexOf(b.contender));
  for (const run of runs) {
    const path = join(out.dir, 'runs', task, `${run.contender}-seed${run.seed}.jsonl`);
    writeRunLog(path, {
      config: run.config,
      dataset: loadDataset(run.config)?.description ?? null,
      trajectory: run.trajectory,
      trainLoss: run.finalLoss,
      testLoss: run.testLoss,
      testAccuracy: run.testAccuracy,
      paramCount: run.paramCount,
      wallTimeS: run.wallTimeS,
    });
    paths.push(path);
  }
  const series = paths.map((p) => seriesFromRunLog(readRunLog(p), p));
  const files = await reportRuns(series, join(out.dir, 'report'), {
    prefix: `${task}-`,
    title: `NLR experiment, ${task} (run logs)`,
    timelineRuns: result.options.timelineRuns,
  });
  out.record([...files.figures, files.markdown]);
}
