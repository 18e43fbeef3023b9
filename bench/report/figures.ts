// Figures of the benchmark report, as Vega-Lite specs drawn by the host's
// report module (SVG via vega, PNG via resvg).
import type { TopLevelSpec } from 'vega-lite';
import type { BandSeries } from '../../host/src/report/charts.ts';
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
        return t?.measured ? [{ x: x(row), mean: t.median * scale, low: t.q1 * scale, high: t.q3 * scale }] : [];
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
  /** Log2 x axis (parameter counts doubling). */
  xLog?: boolean;
}

/** Log-scale step times with a point per measurement (a sweep may have one size only, in quick runs). */
export function stepTimeSpec(request: FigureRequest): TopLevelSpec {
  const values = request.series.flatMap((s) => s.points.map((p) => ({ contender: s.name, ...p })));
  const x = {
    field: 'x',
    type: 'quantitative' as const,
    title: request.xTitle,
    axis: { format: 'd', tickMinStep: 1 },
    scale: request.xLog ? { type: 'log' as const, base: 2 } : { zero: false },
  };
  const y = { type: 'log' as const };
  const color = {
    field: 'contender',
    type: 'nominal' as const,
    title: null,
    legend: { labelLimit: 320, orient: 'bottom' as const, columns: 2 },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 560,
    height: 320,
    title: { text: request.title, subtitle: request.subtitle },
    data: { values },
    layer: [
      {
        mark: { type: 'area', opacity: 0.18 },
        encoding: { x, y: { field: 'low', type: 'quantitative', scale: y }, y2: { field: 'high' }, color },
      },
      {
        mark: { type: 'line', point: true, strokeWidth: 1.6 },
        encoding: { x, y: { field: 'mean', type: 'quantitative', scale: y, title: 'milliseconds per training step (log)' }, color },
      },
    ],
  };
}

export async function drawStepTimeFigure(request: FigureRequest): Promise<FigurePaths> {
  return writeFigure(stepTimeSpec(request), request.base);
}
