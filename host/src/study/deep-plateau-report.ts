// Writes the deep-plateau result: JSON (every run), Markdown tables (depth scan, chosen
// depths, tuning, escape rates, paired comparisons surviving Holm).
import { fmt, fmtInterval, markdownTable } from '../report/markdown-table.ts';
import { compareEscape, escapeRates, type EscapeMode } from './deep-escape.ts';
import type { DeepPlateauResult } from './deep-plateau-run.ts';
import type { ExperimentOutput } from '../experiments/output.ts';

export function deepPlateauMarkdown(r: DeepPlateauResult): string {
  const o = r.options;
  const scan = markdownTable(
    ['ansatz', 'cost', 'n', 'layers', 'params', 'Var[∂C/∂θ₁] [95 % bootstrap CI]', '2-design', 'ratio', `within ±${o.scan.tolerance}`],
    r.scan.map((row) => [
      row.ansatz,
      row.cost,
      row.qubits,
      row.layers,
      row.params,
      fmtInterval(row.variance, row.varianceCI.low, row.varianceCI.high),
      fmt(row.twoDesign),
      fmt(row.ratio, 3),
      row.withinTolerance ? 'yes' : 'no',
    ]),
  );
  const chosen = markdownTable(
    ['ansatz', 'cost', 'n', '2-design depth (layers)', 'layers / n'],
    r.chosen.map((c) => [c.ansatz, c.cost, c.qubits, c.layers ?? 'not reached', c.layers === null ? '—' : fmt(c.layers / c.qubits, 3)]),
  );
  const tuning = markdownTable(
    ['mode', 'tuned at n', 'method', 'chosen hyperparameters', 'mean final cost (tuning seeds)', 'η range', 'η on an edge'],
    r.escape.tunings.flatMap((t) =>
      t.tunings.map((u) => [
        t.mode,
        t.tuneQubits,
        u.method,
        Object.entries(u.chosen.hyper)
          .map(([k, v]) => `${k} ${fmt(v, 3)}`)
          .join(', '),
        fmt(u.chosen.score),
        `[${fmt(u.lrRange[0], 3)}, ${fmt(u.lrRange[1], 3)}]`,
        u.edge ?? '—',
      ]),
    ),
  );
  const rates = escapeRates(r.escape.runs);
  const modes = [...new Set(rates.map((x) => x.mode))];
  const rateTables = modes.map((mode: EscapeMode) => {
    const own = rates.filter((x) => x.mode === mode);
    const ns = [...new Set(own.map((x) => x.qubits))].sort((a, b) => a - b);
    const methods = [...new Set(own.map((x) => x.method))];
    const table = markdownTable(
      ['method', ...ns.map((n) => `n = ${n}: escaped (median C₀ → C)`)],
      methods.map((m) => [
        m,
        ...ns.map((n) => {
          const x = own.find((y) => y.method === m && y.qubits === n);
          return x ? `${x.escaped}/${x.runs} (${fmt(x.medianInitialCost, 2)} → ${fmt(x.medianFinalCost, 2)})` : '—';
        }),
      ]),
    );
    return `### ${mode === 'exact' ? 'Exact gradients' : `With shots (${o.escape.shotsPerEval} per evaluation)`}\n\n${table}`;
  });
  const significant = compareEscape(r.escape.runs).filter((c) => c.pHolm < 0.05);
  const comparisons =
    significant.length === 0
      ? 'No NLR variant differs from any other method in final cost at Holm-adjusted p < 0.05 (paired Wilcoxon, every mode).\n'
      : markdownTable(
          ['mode', 'n', 'NLR variant', 'vs', 'NLR lower / higher (seeds)', 'Holm p'],
          significant.map((c) => [c.mode, c.qubits, c.nlr, c.other, `${c.wins} / ${c.losses}`, fmt(c.pHolm, 2)]),
        );
  const skipped =
    r.skipped.length > 0 ? `\nLeft out (no 2-design depth within the module's ${o.build} build): n = ${r.skipped.join(', ')}.\n` : '';
  return [
    `# Barren plateaus at 2-design depth (${o.build} build)`,
    `Wall time ${fmt(r.wallTimeS / 60, 3)} min with ${o.workers > 0 ? `${o.workers} worker threads` : "the fleet's workers"}.`,
    '## Depth scan',
    scan,
    '## 2-design depths',
    chosen,
    `## Escape: hea, local cost, θ₀ ~ U[0, 2π); escaped = final exact C ≤ ${o.escape.threshold}; ${o.escape.steps} steps (shots: the shots of ${o.escape.steps} parameter-shift steps)`,
    tuning,
    ...rateTables,
    '### Paired comparisons surviving Holm (final exact cost)',
    comparisons,
    skipped,
  ].join('\n\n');
}

export function writeDeepPlateau(r: DeepPlateauResult, out: ExperimentOutput): void {
  out.json('deep-plateau.json', { ...r, rates: escapeRates(r.escape.runs), comparisons: compareEscape(r.escape.runs) });
  out.text('deep-plateau.md', `${deepPlateauMarkdown(r)}\n`);
}
