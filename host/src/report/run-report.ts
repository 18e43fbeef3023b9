// `qiot report`: loss curves with confidence bands across runs, gradient norms,
// the NLR phase timeline and a Markdown table, from run series.
import type { BootstrapOptions } from '../stats/bootstrap.ts';
import { bootstrapCI } from '../stats/bootstrap.ts';
import { bandChart, phaseTimeline, type BandSeries } from './charts.ts';
import { curveBands, thin } from './curve-bands.ts';
import { makeDirectory, writeFileAt } from '../file-errors.ts';
import { writeFigure } from './figure-files.ts';
import { fmt, fmtCI, markdownTable } from './markdown-table.ts';
import { formatPercent } from '../ui/format.ts';
import type { RunSeries } from './run-series.ts';

export const REPORT_SETTINGS = {
  /** Points per curve: more than this is thinned (evenly, keeping the last) so SVGs stay small. */
  maxCurvePoints: 300,
  /** Steps shown in the phase timeline (one cell per step). */
  maxTimelineSteps: 150,
  /** NLR runs shown in the phase timeline. */
  maxTimelineRuns: 12,
  bootstrap: { resamples: 1000, level: 0.95, seed: 2024 } satisfies BootstrapOptions,
} as const;

export interface RunReportOptions {
  /** File name prefix of every output, e.g. `synthetic-`. */
  prefix: string;
  title: string;
  /** NLR runs shown in the phase timeline (default `maxTimelineRuns`). */
  timelineRuns?: number;
}

export interface RunReportFiles {
  figures: string[];
  markdown: string;
}

function groups(series: readonly RunSeries[]): Map<string, RunSeries[]> {
  const map = new Map<string, RunSeries[]>();
  for (const s of series) map.set(s.group, [...(map.get(s.group) ?? []), s]);
  return map;
}

/**
 * Runs are compared at equal shots when they were sampled and every run of a
 * group spent the same shots per step (true for one config across seeds); else
 * at equal steps (exact runs charge no shots).
 */
export function shotsAxis(series: readonly RunSeries[]): boolean {
  const sampled = series.every((s) => s.shotsTotal.length > 0 && s.shotsTotal.every((v) => v > 0));
  if (!sampled) return false;
  return [...groups(series).values()].every((runs) =>
    runs.every((r) => r.shotsTotal.every((v, t) => t >= runs[0].shotsTotal.length || v === runs[0].shotsTotal[t])),
  );
}

function bands(series: readonly RunSeries[], pick: (s: RunSeries) => number[], byShots: boolean): BandSeries[] {
  return [...groups(series)].map(([name, runs]) => {
    const longest = runs.reduce((a, b) => (b.shotsTotal.length > a.shotsTotal.length ? b : a));
    const points = curveBands(runs.map(pick), REPORT_SETTINGS.bootstrap).map((p) =>
      byShots ? { ...p, x: longest.shotsTotal[p.x - 1] } : p,
    );
    return {
      name: `${name} (${runs.length} run${runs.length === 1 ? '' : 's'})`,
      points: thin(points, REPORT_SETTINGS.maxCurvePoints),
    };
  });
}

const orDash = (v: number | null) => (v === null || !Number.isFinite(v) ? '—' : fmt(v));

/** Mean and bootstrap CI over the runs that have the value ("n = 1, no interval" for one). */
function groupInterval(values: readonly (number | null)[], format?: (v: number) => string): string {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return finite.length === 0 ? '—' : fmtCI(bootstrapCI(finite, REPORT_SETTINGS.bootstrap), format);
}

export function runTableMarkdown(series: readonly RunSeries[]): string {
  const perRun = markdownTable(
    [
      'run',
      'group',
      'steps',
      'shots used',
      'last mini-batch loss',
      'best mini-batch loss',
      'exact train loss',
      'test loss',
      'test accuracy',
      'negative phases',
    ],
    series.map((s) => [
      s.label,
      s.group,
      s.loss.length,
      s.shotsUsed,
      orDash(s.lastMiniBatchLoss),
      orDash(s.bestMiniBatchLoss),
      orDash(s.trainLoss),
      orDash(s.testLoss),
      formatPercent(s.testAccuracy),
      s.phases.length === 0 ? '—' : formatPercent(s.phases.filter((p) => p === 1).length / s.phases.length),
    ]),
  );
  const perGroup = markdownTable(
    ['group', 'runs', 'exact train loss, mean [95% bootstrap CI]', 'test accuracy, mean [95% bootstrap CI]'],
    [...groups(series)].map(([name, runs]) => [
      name,
      runs.length,
      groupInterval(runs.map((r) => r.trainLoss)),
      groupInterval(
        runs.map((r) => r.testAccuracy),
        formatPercent,
      ),
    ]),
  );
  const { resamples, level } = REPORT_SETTINGS.bootstrap;
  return `${perRun}\n${perGroup}\nIntervals: percentile bootstrap over runs, ${resamples} resamples, level ${level}.\n`;
}

export async function reportRuns(series: readonly RunSeries[], dir: string, opts: RunReportOptions): Promise<RunReportFiles> {
  if (series.length === 0) throw new RangeError('report: no runs to report');
  makeDirectory(dir);
  const base = (name: string) => `${dir}/${opts.prefix}${name}`;
  const subtitle = `mean over runs, band: 95% percentile bootstrap (${REPORT_SETTINGS.bootstrap.resamples} resamples)`;
  const figures: string[] = [];
  const byShots = shotsAxis(series);
  const xTitle = byShots ? 'shots used' : 'step';
  const loss = bandChart(
    bands(series, (s) => s.loss, byShots),
    { title: `${opts.title}: loss`, subtitle, xTitle, yTitle: 'mini-batch loss' },
  );
  figures.push(...Object.values(await writeFigure(loss, base('loss'))));
  const grad = bandChart(
    bands(series, (s) => s.gradNorm, byShots),
    {
      title: `${opts.title}: gradient norm`,
      subtitle,
      xTitle,
      yTitle: '‖g‖₂',
      logY: series.every((s) => s.gradNorm.every((g) => g > 0)),
    },
  );
  figures.push(...Object.values(await writeFigure(grad, base('grad-norm'))));
  const nlrRuns = series.filter((s) => s.optimizer === 'nlr').slice(0, opts.timelineRuns ?? REPORT_SETTINGS.maxTimelineRuns);
  if (nlrRuns.length > 0) {
    const rows = nlrRuns.map((s) => ({ run: s.label, phases: s.phases.slice(0, REPORT_SETTINGS.maxTimelineSteps) }));
    figures.push(...Object.values(await writeFigure(phaseTimeline(rows, { title: `${opts.title}: NLR phases` }), base('nlr-phases'))));
  }
  const markdown = `${base('runs')}.md`;
  writeFileAt(markdown, `# ${opts.title}\n\n${runTableMarkdown(series)}`);
  return { figures, markdown };
}
