// The figure of one run log: mini-batch loss per step, with the steps that
// took a negative (ascent) NLR phase marked in red. Rendered through the
// shared Vega-Lite → SVG → PNG path of figure-files.ts.
import { dirname } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { makeDirectory, writeFileAt } from '../file-errors.ts';
import { formatLoss, formatPercent } from '../ui/format.ts';
import type { RunLog } from '../runlog/reader.ts';
import { renderSvg, svgToPng, type FigurePaths } from './figure-files.ts';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const SIZE = { width: 560, height: 300 } as const;
const NEGATIVE_PHASE_COLOUR = '#d62728';
const NEGATIVE_PHASE = 'negative (ascent)';

export function runTitle(log: RunLog): { text: string; subtitle: string } {
  const c = log.header.config;
  const target = log.header.target.kind === 'node' ? 'node' : `board ${log.header.target.board}`;
  const text = `${c.optimizer.name} · ${c.ansatz} ${c.qubits} qubits × ${c.layers} layers · ${c.cost} cost`;
  const parts = [log.header.dataset ?? 'no dataset', `seed ${c.seed}`, target];
  const negative = log.steps.filter((s) => s.phase === '-').length;
  if (c.optimizer.name === 'nlr') parts.push(`${negative} negative-phase steps`);
  if (log.summary) {
    parts.push(`${log.summary.status} after ${log.summary.steps} steps`);
    // The curve is the mini-batch loss; the exact loss at the final θ is another number, named.
    if (log.summary.train_loss !== null) parts.push(`exact train loss ${formatLoss(log.summary.train_loss)}`);
    if (log.summary.test_accuracy !== null) parts.push(`test accuracy ${formatPercent(log.summary.test_accuracy)}`);
  } else parts.push('no summary (run did not finish)');
  return { text, subtitle: parts.join(' · ') };
}

export function runLossSpec(log: RunLog): TopLevelSpec {
  const values = log.steps
    .filter((s) => s.loss !== null)
    .map((s) => ({ step: s.step, loss: s.loss, phase: s.phase === '-' ? NEGATIVE_PHASE : 'positive (descent)' }));
  const lossLine = {
    mark: { type: 'line' as const, strokeWidth: 1.5, color: '#1f77b4' },
    encoding: {
      x: { field: 'step', type: 'quantitative' as const, title: 'step' },
      y: { field: 'loss', type: 'quantitative' as const, title: 'mini-batch loss', scale: { zero: false } },
    },
  };
  const negativeMarkers = {
    transform: [{ filter: { field: 'phase', equal: NEGATIVE_PHASE } }],
    mark: { type: 'point' as const, filled: true, size: 28 },
    encoding: {
      x: { field: 'step', type: 'quantitative' as const },
      y: { field: 'loss', type: 'quantitative' as const },
      color: {
        field: 'phase',
        type: 'nominal' as const,
        title: 'NLR phase',
        scale: { domain: [NEGATIVE_PHASE], range: [NEGATIVE_PHASE_COLOUR] },
        legend: { orient: 'top-right' as const },
      },
    },
  };
  const hasNegative = values.some((v) => v.phase === NEGATIVE_PHASE);
  return {
    $schema: SCHEMA,
    ...SIZE,
    title: runTitle(log),
    data: { values },
    layer: hasNegative ? [lossLine, negativeMarkers] : [lossLine],
  };
}

/** Output files for `--out`: given `x.svg`, `x.png` or `x`, both `x.svg` and `x.png`. */
export function figurePaths(out: string): FigurePaths {
  const base = out.replace(/\.(svg|png)$/i, '');
  return { svg: `${base}.svg`, png: `${base}.png` };
}

export async function plotRun(log: RunLog, out: string): Promise<FigurePaths> {
  const paths = figurePaths(out);
  makeDirectory(dirname(paths.svg));
  const svg = await renderSvg(runLossSpec(log));
  writeFileAt(paths.svg, svg);
  writeFileAt(paths.png, svgToPng(svg));
  return paths;
}
