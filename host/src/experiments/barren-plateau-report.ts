// Writes the barren-plateau result: JSON, Markdown table, semilog figure.
import { varianceChart } from '../report/charts.ts';
import { writeFigure } from '../report/figure-files.ts';
import { fmt, fmtInterval, markdownTable } from '../report/markdown-table.ts';
import { DEEP_LAYERS_PER_QUBIT, type BarrenPlateauResult } from './barren-plateau.ts';
import type { ExperimentOutput } from './output.ts';

export function barrenPlateauMarkdown(result: BarrenPlateauResult): string {
  const costs = [...new Set(result.rows.map((r) => r.cost))];
  const qubits = [...new Set(result.rows.map((r) => r.qubits))];
  const varianceTable = markdownTable(
    ['n', 'layers', ...costs.map((c) => `Var[∂C/∂θ₁] ${c} [95% bootstrap CI]`)],
    qubits.map((n) => {
      const cells = costs.map((c) => {
        const r = result.rows.find((row) => row.cost === c && row.qubits === n)!;
        return fmtInterval(r.variance, r.varianceCI.low, r.varianceCI.high);
      });
      return [n, result.rows.find((r) => r.qubits === n)!.layers, ...cells];
    }),
  );
  const fitTable = markdownTable(
    ['cost', 'points', 'slope of ln Var per qubit', '95% CI (t, n−2 dof)', 'factor per qubit', 'R²', '2-design reference slope'],
    result.fits.map((f) => [
      f.cost,
      f.points === 'all'
        ? `all (n = ${f.qubits[0]}…${f.qubits.at(-1)})`
        : `deep: L ≥ ${DEEP_LAYERS_PER_QUBIT}n (n = ${f.qubits[0]}…${f.qubits.at(-1)})`,
      fmt(f.fit.slope),
      `[${fmt(f.fit.slopeCI[0])}, ${fmt(f.fit.slopeCI[1])}]`,
      fmt(f.fit.factorPerQubit),
      fmt(f.fit.rSquared),
      `${fmt(f.twoDesignSlope)} (${f.cost === 'local' ? '−ln 2' : '−2 ln 2'})`,
    ]),
  );
  return `${varianceTable}\n${fitTable}`;
}

/** A line per cost for the terminal: slope, CI and the 2-design reference side by side. */
export function barrenPlateauSummary(result: BarrenPlateauResult): string[] {
  return result.fits.map(
    (f) =>
      `${f.cost.padEnd(6)} ${f.points === 'all' ? 'all points ' : `L ≥ ${DEEP_LAYERS_PER_QUBIT}n only`} slope ${fmt(f.fit.slope)} per qubit, 95% CI [${fmt(f.fit.slopeCI[0])}, ${fmt(f.fit.slopeCI[1])}]` +
      ` (t-distribution, ${f.fit.n - 2} dof); 2-design reference ${fmt(f.twoDesignSlope)}`,
  );
}

export async function writeBarrenPlateau(result: BarrenPlateauResult, out: ExperimentOutput): Promise<void> {
  out.json('barren-plateau.json', result);
  out.text('barren-plateau.md', `# Barren plateau: Var[∂C/∂θ₁] vs qubits\n\n${barrenPlateauMarkdown(result)}`);
  const spec = varianceChart(
    result.rows.map((r) => ({ qubits: r.qubits, variance: r.variance, cost: r.cost })),
    result.fits.map((f) => ({
      cost: f.points === 'all' ? f.cost : `${f.cost}, L ≥ ${DEEP_LAYERS_PER_QUBIT}n`,
      intercept: f.fit.intercept,
      slope: f.fit.slope,
      referenceSlope: f.points === 'all' ? f.twoDesignSlope : NaN,
    })),
    {
      title: 'Variance of ∂C/∂θ₁ over random McClean circuits',
      subtitle: `${result.options.samples} circuits per point, exact expectations; dashed: least-squares fits of ln Var and 2-design references`,
    },
  );
  out.record(Object.values(await writeFigure(spec, out.path('barren-plateau-variance'))));
}
