// Figures of the benchmark report, as Vega-Lite specs drawn by the host's
// report module (SVG via vega, PNG via resvg).
import { bandChart, type BandSeries } from '../../host/src/report/charts.ts';
import { writeFigure, type FigurePaths } from '../../host/src/report/figure-files.ts';
import type { TimedRow } from '../results-schema.ts';

/** One series per contender: median step time against x, the band spanning the quartiles. */
export function seriesByContender(rows: readonly TimedRow[], x: (row: TimedRow) => number, scale = 1e3): BandSeries[] {
  const names = [...new Set(rows.flatMap((r) => Object.keys(r.timings)))];
  return names
    .map((name) => ({
      name,
      points: rows.flatMap((row) => {
        const t = row.timings[name];
        return t && t.measured ? [{ x: x(row), mean: t.median * scale, low: t.q1 * scale, high: t.q3 * scale }] : [];
      }),
    }))
    .filter((s) => s.points.length > 0);
}

export interface FigureRequest {
  base: string;
  title: string;
  subtitle: string;
  xTitle: string;
  series: BandSeries[];
}

export async function drawStepTimeFigure(request: FigureRequest): Promise<FigurePaths> {
  const spec = bandChart(request.series, {
    title: request.title,
    subtitle: request.subtitle,
    xTitle: request.xTitle,
    yTitle: 'milliseconds per training step (log)',
    logY: true,
  });
  return writeFigure(spec, request.base);
}
