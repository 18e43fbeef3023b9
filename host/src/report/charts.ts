// Vega-Lite specs of the experiment figures: curves with confidence bands,
// the variance-vs-qubits semilog plot, and the NLR phase timeline.
import type { TopLevelSpec } from 'vega-lite';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const SIZE = { width: 520, height: 300 } as const;

export interface BandPoint {
  x: number;
  mean: number;
  low: number;
  high: number;
}

export interface BandSeries {
  name: string;
  points: BandPoint[];
}

export interface BandChartOptions {
  title: string;
  xTitle: string;
  yTitle: string;
  logY?: boolean;
  /** Text under the title, e.g. how the band was computed. */
  subtitle?: string;
}

/** Mean curves with a shaded interval per series. */
export function bandChart(series: readonly BandSeries[], opts: BandChartOptions): TopLevelSpec {
  const values = series.flatMap((s) => s.points.map((p) => ({ series: s.name, ...p })));
  const yScale = opts.logY ? { type: 'log' as const } : { zero: false };
  const color = {
    field: 'series',
    type: 'nominal' as const,
    title: null,
    legend: { labelLimit: 360, symbolType: 'stroke', symbolOpacity: 1, symbolStrokeWidth: 2 },
  };
  const x = { field: 'x', type: 'quantitative' as const, title: opts.xTitle, scale: { nice: false } };
  return {
    $schema: SCHEMA,
    ...SIZE,
    title: { text: opts.title, subtitle: opts.subtitle ?? '' },
    data: { values },
    layer: [
      {
        mark: { type: 'area', opacity: 0.2 },
        encoding: {
          x,
          y: { field: 'low', type: 'quantitative', title: opts.yTitle, scale: yScale },
          y2: { field: 'high' },
          color,
        },
      },
      {
        mark: { type: 'line', strokeWidth: 1.6 },
        encoding: {
          x,
          y: { field: 'mean', type: 'quantitative', scale: yScale },
          color,
        },
      },
    ],
  };
}

export interface VariancePoint {
  qubits: number;
  variance: number;
  cost: string;
}

export interface FitLine {
  cost: string;
  intercept: number;
  slope: number;
  /** Slope of ln Var per qubit expected for a unitary 2-design (drawn through the cost's first point); NaN: no reference line. */
  referenceSlope: number;
}

/**
 * Var[∂C/∂θ₁] against qubits on a log axis, the least-squares lines of ln Var,
 * and per cost a 2-design reference line through the cost's first point.
 */
export function varianceChart(
  points: readonly VariancePoint[],
  fits: readonly FitLine[],
  opts: { title: string; subtitle?: string },
): TopLevelSpec {
  const qubits = [...new Set(points.map((p) => p.qubits))].sort((a, b) => a - b);
  const lines: { qubits: number; variance: number; line: string }[] = [];
  for (const f of fits) {
    for (const n of qubits) lines.push({ qubits: n, variance: Math.exp(f.intercept + f.slope * n), line: `fit (${f.cost})` });
    const anchor = points.find((p) => p.cost === f.cost && p.qubits === qubits[0]);
    if (!anchor || !Number.isFinite(f.referenceSlope)) continue;
    const perQubit = Math.exp(f.referenceSlope);
    const label = `2-design ${f.cost}: ×${Number(perQubit.toPrecision(3))} per qubit`;
    for (const n of qubits) lines.push({ qubits: n, variance: anchor.variance * perQubit ** (n - qubits[0]), line: label });
  }
  return {
    $schema: SCHEMA,
    ...SIZE,
    title: { text: opts.title, subtitle: opts.subtitle ?? '' },
    layer: [
      {
        data: { values: lines },
        mark: { type: 'line', strokeDash: [5, 3], strokeWidth: 1.2 },
        encoding: {
          x: { field: 'qubits', type: 'quantitative', title: 'qubits n', axis: { tickMinStep: 1 } },
          y: { field: 'variance', type: 'quantitative', scale: { type: 'log' } },
          color: { field: 'line', type: 'nominal', title: 'lines', scale: { scheme: 'dark2' }, legend: { labelLimit: 320 } },
        },
      },
      {
        data: { values: points as VariancePoint[] },
        mark: { type: 'point', filled: true, size: 70 },
        encoding: {
          x: { field: 'qubits', type: 'quantitative' },
          y: { field: 'variance', type: 'quantitative', title: 'Var[∂C/∂θ₁]', scale: { type: 'log' } },
          color: { field: 'cost', type: 'nominal', title: 'measured' },
        },
      },
    ],
    resolve: { scale: { color: 'independent' } },
  };
}

export interface PhaseRow {
  run: string;
  phases: readonly number[];
}

/** One row per run, one cell per step: descent (positive) or ascent (negative phase). */
export function phaseTimeline(rows: readonly PhaseRow[], opts: { title: string }): TopLevelSpec {
  const values = rows.flatMap((r) =>
    r.phases.map((p, i) => ({ run: r.run, step: i + 1, phase: p === 1 ? 'negative (ascent)' : 'positive (descent)' })),
  );
  return {
    $schema: SCHEMA,
    width: SIZE.width,
    height: { step: 14 },
    title: opts.title,
    data: { values },
    mark: { type: 'rect' },
    encoding: {
      x: { field: 'step', type: 'ordinal', title: 'step', axis: { labelOverlap: 'greedy' } },
      y: { field: 'run', type: 'nominal', title: null, axis: { labelLimit: 320 } },
      color: {
        field: 'phase',
        type: 'nominal',
        title: 'phase',
        scale: { domain: ['positive (descent)', 'negative (ascent)'], range: ['#9ecae1', '#d62728'] },
      },
    },
  };
}
