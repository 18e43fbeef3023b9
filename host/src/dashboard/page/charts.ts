// uPlot charts: one per quantity, runs overlaid, NLR negative-phase steps as red
// markers; the sweep chart draws per optimizer a median line and a 25–75 % band.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { PAGE } from '../limits.ts';
import { bands, overlay, stepAxis, type Field, type RunSeries } from './series.ts';

const PALETTE = ['#2f6fde', '#e8871e', '#1f9d55', '#8e44ad', '#16a2b8', '#c2185b', '#7f8c8d', '#b8860b'];
export const colorOf = (i: number) => PALETTE[i % PALETTE.length];

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/** Tick labels short enough for the axis: 2.5M, 40k, 0.25. */
export function compact(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${+(v / 1e9).toPrecision(3)}G`;
  if (a >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
  if (a >= 1e4) return `${+(v / 1e3).toPrecision(3)}k`;
  return String(+v.toPrecision(3));
}

function axes(yLabel: string): uPlot.Axis[] {
  const stroke = cssVar('--muted');
  const grid = { stroke: cssVar('--line'), width: 1 };
  return [
    { stroke, grid, ticks: grid, label: 'step', labelSize: 18 },
    { stroke, grid, ticks: grid, label: yLabel, labelSize: 18, size: 52, values: (_u, splits) => splits.map(compact) },
  ];
}

function sizeOf(el: HTMLElement): { width: number; height: number } {
  return { width: Math.max(200, el.clientWidth), height: 240 };
}

export interface RunLine {
  label: string;
  series: RunSeries;
}

/** A chart of one field across runs; rebuilt when the set of runs changes, else only fed new data. */
export class RunChart {
  private plot: uPlot | null = null;
  private key = '';

  constructor(
    private readonly el: HTMLElement,
    private readonly field: Field,
    private readonly yLabel: string,
    private readonly markers: boolean,
  ) {
    new ResizeObserver(() => this.plot?.setSize(sizeOf(this.el))).observe(el);
  }

  update(lines: readonly RunLine[]): void {
    // Marker series only for runs that have negative-phase steps (the legend stays short).
    const withMarkers = this.markers ? lines.filter((l) => l.series.negativeSteps().length > 0) : [];
    const key = [...lines.map((l) => l.label), ...withMarkers.map((l) => `${l.label} (−)`)].join('\n');
    const data = overlay(
      lines.map((l) => l.series),
      this.field,
      PAGE.maxPointsPerSeries,
      withMarkers.map((l) => l.series),
    );
    this.el.dataset.runs = String(lines.length);
    this.el.dataset.points = String(data[0].length);
    // Steps missing inside the drawn runs (0 = no gap, e.g. after a mid-run backfill).
    this.el.dataset.gaps = String(lines.reduce((n, l) => n + l.series.lastStep - l.series.size, 0));
    if (this.markers) {
      this.el.dataset.markers = String(lines.reduce((n, l) => n + l.series.negativeSteps().length, 0));
    }
    if (key !== this.key || !this.plot) {
      this.plot?.destroy();
      this.key = key;
      const series: uPlot.Series[] = [{ label: 'step' }];
      lines.forEach((l, i) => {
        series.push({ label: l.label, stroke: colorOf(i), width: 1.5, spanGaps: false, points: { show: false } });
      });
      if (this.markers) {
        withMarkers.forEach((l) => {
          series.push({
            label: `${l.label} (−)`,
            stroke: cssVar('--neg'),
            fill: undefined,
            width: 0,
            paths: () => null,
            points: { show: true, size: 5, stroke: cssVar('--neg'), fill: cssVar('--neg') },
          });
        });
      }
      this.plot = new uPlot(
        {
          ...sizeOf(this.el),
          series,
          axes: axes(this.yLabel),
          legend: { show: lines.length > 0 && lines.length <= 8 },
          scales: { x: { time: false } },
          cursor: { drag: { x: true, y: false } },
        },
        data as uPlot.AlignedData,
        this.el,
      );
    } else {
      this.plot.setData(data as uPlot.AlignedData);
    }
  }
}

/** The sweep chart: median and interquartile band of `loss` per optimizer. */
export class SweepChart {
  private plot: uPlot | null = null;
  private key = '';

  constructor(private readonly el: HTMLElement) {
    new ResizeObserver(() => this.plot?.setSize(sizeOf(this.el))).observe(el);
  }

  update(groups: ReadonlyMap<string, readonly RunSeries[]>): void {
    const last = Math.max(0, ...[...groups.values()].flat().map((r) => r.lastStep));
    const xs = stepAxis(last, PAGE.maxPointsPerSeries);
    const bs = bands(groups, 'loss', xs);
    this.el.dataset.groups = String(bs.length);
    const key = bs.map((b) => `${b.group}:${b.runs}`).join('\n');
    const data: (number | null)[][] = [xs];
    const series: uPlot.Series[] = [{ label: 'step' }];
    const bandDefs: uPlot.Band[] = [];
    bs.forEach((b, i) => {
      const color = colorOf(i);
      const base = data.length;
      data.push(b.median, b.low, b.high);
      series.push(
        { label: `${b.group} median (${b.runs} runs)`, stroke: color, width: 2, points: { show: false } },
        { label: `${b.group} 25 %`, stroke: color, width: 0.5, dash: [4, 4], points: { show: false } },
        { label: `${b.group} 75 %`, stroke: color, width: 0.5, dash: [4, 4], points: { show: false } },
      );
      bandDefs.push({ series: [base + 2, base + 1], fill: `${color}33` });
    });
    if (key !== this.key || !this.plot) {
      this.plot?.destroy();
      this.key = key;
      this.plot = new uPlot(
        {
          ...sizeOf(this.el),
          series,
          bands: bandDefs,
          axes: axes('loss'),
          scales: { x: { time: false } },
          legend: { show: bs.length > 0 },
        },
        data as uPlot.AlignedData,
        this.el,
      );
    } else {
      this.plot.setData(data as uPlot.AlignedData);
    }
  }
}
