// Renders validated bench results into docs/benchmarks.md and its figures.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { z } from 'zod';
import { fmt, markdownTable, type Cell } from '../../host/src/report/markdown-table.ts';
import type { BenchResults, NotMeasured, QuantitySection, TimedRow } from '../results-schema.ts';
import { drawStepTimeFigure, seriesByContender } from './figures.ts';
import { shotsLabel } from '../rows.ts';
import { QIOT_NODE } from '../sections/peers.ts';
import { PLAIN_C, POSIX_BOARD, WASM3_NATIVE, ratioKey } from '../sections/native.ts';
import { PARAMETER_SHIFT, SPSA } from '../sections/scaling.ts';
import { QIOT_DEVICE, overHost } from '../sections/exact-peers.ts';
import { fleetSection } from './fleet-section.ts';
import { exactGoals, goalSummary } from './goals.ts';

export interface ReportPaths {
  doc: string;
  figures: string;
  /** The results JSON the report is rendered from (named in its header). */
  results: string;
  /** The fleet bench's results (make bench-fleet), rendered as its own section when the file exists. */
  fleet?: string;
}

const ms = (seconds: number) => `${fmt(seconds * 1e3)} ms`;
const times = (value: number) => `${fmt(value, 3)}×`;
const notMeasuredText = (n: NotMeasured) => `not measured: ${n.reason}`;

function timingCell(row: TimedRow, name: string): Cell {
  const t = row.timings[name];
  if (!t) return '—';
  return t.measured ? ms(t.median) : notMeasuredText(t);
}

function ratioCell(row: TimedRow, name: string): Cell {
  const r = row.ratios[name];
  return r ? `${times(r.median)} [${fmt(r.low, 3)}, ${fmt(r.high, 3)}]` : '—';
}

function contenderNames(rows: readonly TimedRow[]): string[] {
  return [...new Set(rows.flatMap((r) => Object.keys(r.timings)))];
}

function quantityTable(section: z.infer<typeof QuantitySection>): string {
  if (!section.measured) return `${notMeasuredText(section)}\n`;
  const rows = Object.entries(section.items).map(([name, q]): Cell[] =>
    q.measured
      ? [
          name,
          q.unit === 'bytes'
            ? `${Number.isInteger(q.value) ? q.value : fmt(q.value)} B (${fmt(q.value / 1024)} KiB)`
            : q.unit === '×'
              ? times(q.value)
              : `${fmt(q.value)} ${q.unit}`,
          q.goal ?? '—',
          q.met === undefined ? '—' : q.met ? 'yes' : 'no',
          q.source,
        ]
      : [name, notMeasuredText(q), '—', '—', '—'],
  );
  const notes = section.notes.map((n) => `- ${n}\n`).join('');
  return markdownTable(['quantity', 'measured', 'goal', 'met', 'source'], rows) + (notes ? `\n${notes}` : '');
}

async function peersSection(results: BenchResults, paths: ReportPaths): Promise<string> {
  const peers = results.peers;
  let out = '## 1. Training step against the tools a user would pick instead\n\n';
  if (!peers.measured) return out + `${notMeasuredText(peers)}\n`;
  out +=
    'Circuit: hardware-efficient ansatz (per layer RY then RZ on every qubit, then a CZ ladder), 2 layers, ' +
    'local cost 1 − p(q0 = 0), no data encoding; parameter-shift gradient; one SGD step.\n\n';
  out += `Versions: ${Object.entries(peers.versions)
    .map(([k, v]) => `${k} ${v ?? 'absent'}`)
    .join(', ')}.\n\n`;
  out += '### Correctness gates (before any timing; a failure aborts the bench)\n\n';
  out += markdownTable(
    ['qubits', 'reference', 'candidate', '|Δ loss|', 'max |Δ ∂C/∂θ|', 'tolerance', 'passed'],
    peers.gates.map((g) => [
      g.qubits,
      g.reference,
      g.candidate,
      g.lossDifference.toExponential(1),
      g.maxGradientDifference.toExponential(1),
      g.tolerance,
      g.passed ? 'yes' : 'no',
    ]),
  );
  const names = contenderNames(peers.rows);
  const others = names.filter((n) => n !== QIOT_NODE);
  for (const shots of [...new Set(peers.rows.map((r) => r.shots))]) {
    const rows = peers.rows.filter((r) => r.shots === shots);
    out += `\n### ${shots === 0 ? 'Exact expectations' : `${shots} shots per circuit evaluation`}\n\n`;
    out += 'Median time per training step; ratio = peer / qiot, paired per round (median, 95 % bootstrap interval).\n\n';
    out += markdownTable(
      ['qubits', 'P', ...names, ...others.map((n) => `${n} / qiot`)],
      rows.map((r) => [r.qubits, r.params, ...names.map((n) => timingCell(r, n)), ...others.map((n) => ratioCell(r, n))]),
    );
    const figure = await drawStepTimeFigure({
      base: join(paths.figures, `peers-${shots === 0 ? 'exact' : `${shots}-shots`}`),
      title: `Training step vs qubits (${shots === 0 ? 'exact' : `${shots} shots`})`,
      subtitle: 'median of interleaved rounds, band = quartiles',
      xTitle: 'qubits',
      series: seriesByContender(rows, (r) => r.qubits),
    });
    out +=
      `\n![training step vs qubits, ${shotsLabel(shots)}](${relative(dirname(paths.doc), figure.svg)}) ` +
      `([PNG](${relative(dirname(paths.doc), figure.png)}))\n`;
  }
  out += '\n' + peers.notes.map((n) => `- ${n}\n`).join('');
  return out;
}

async function exactPeersSection(results: BenchResults, paths: ReportPaths): Promise<string> {
  const exact = results.exactPeers;
  let out = '## 1b. Exact training step: each tool’s fastest exact gradient (issue 14)\n\n';
  if (!exact) return out + 'Not in this results file (written before issue 14’s exact peers).\n';
  if (!exact.measured) return out + `${notMeasuredText(exact)}\n`;
  out +=
    'The circuit of section 1 (hea, 2 layers, local cost), exact expectations; qiot steps with the adjoint gradient, ' +
    'each peer with the exact gradient its users would pick for training. One thread everywhere unless the table says otherwise.\n\n';
  out += `Versions: ${Object.entries(exact.versions)
    .map(([k, v]) => `${k} ${v ?? 'absent'}`)
    .join(', ')}.\n\n`;
  out += '### Correctness gates (against lightning.qubit adjoint, before any timing)\n\n';
  out += markdownTable(
    ['qubits', 'candidate', '|Δ loss|', 'max |Δ ∂C/∂θ|', 'tolerance', 'passed'],
    exact.gates.map((g) => [
      g.qubits,
      g.candidate,
      g.lossDifference.toExponential(1),
      g.maxGradientDifference.toExponential(1),
      g.tolerance,
      g.passed ? 'yes' : 'no',
    ]),
  );
  const names = contenderNames(exact.rows);
  out += '\n### Single thread: median time per training step\n\n';
  out += markdownTable(
    ['qubits', 'P', ...names],
    exact.rows.map((r) => [r.qubits, r.params, ...names.map((n) => timingCell(r, n))]),
  );
  const peers = names.filter((n) => !n.startsWith('qiot'));
  out +=
    '\nRatios peer / qiot (paired per round; median and 95 % bootstrap interval; > 1 = qiot faster): against the device build ' +
    '(≤ 10 qubits) and against the host build.\n\n';
  const onDevice = (r: TimedRow, n: string) => (r.baseline === QIOT_DEVICE ? ratioCell(r, n) : '—');
  out += markdownTable(
    ['qubits', ...peers.flatMap((n) => [`${n} / device`, `${n} / host`])],
    exact.rows.map((r) => [r.qubits, ...peers.flatMap((n) => [onDevice(r, n), ratioCell(r, overHost(n))])]),
  );
  const figure = await drawStepTimeFigure({
    base: join(paths.figures, 'exact-peers'),
    title: 'Exact training step vs qubits (one thread)',
    subtitle: 'median of interleaved rounds, band = quartiles',
    xTitle: 'qubits',
    series: seriesByContender(exact.rows, (r) => r.qubits),
  });
  out += `\n![exact training step vs qubits](${relative(dirname(paths.doc), figure.svg)}) ([PNG](${relative(dirname(paths.doc), figure.png)}))\n`;
  if (exact.multiThreadRows.length > 0) {
    const multi = contenderNames(exact.multiThreadRows);
    const others = multi.filter((n) => !n.startsWith('qiot'));
    out += '\n### Multi-threaded peers against the single-threaded host build\n\n';
    out += markdownTable(
      ['qubits', 'P', ...multi, ...others.map((n) => `${n} / host build`)],
      exact.multiThreadRows.map((r) => [r.qubits, r.params, ...multi.map((n) => timingCell(r, n)), ...others.map((n) => ratioCell(r, n))]),
    );
  }
  out += '\n### Goals\n\n' + quantityTable({ measured: true, items: exactGoals(exact), notes: [] });
  return out + '\n' + exact.notes.map((n) => `- ${n}\n`).join('');
}

function nativeSection(results: BenchResults): string {
  const native = results.native;
  let out = '## 2. The native limit: the same kernel in plain C\n\n';
  if (!native.measured) return out + `${notMeasuredText(native)}\n`;
  out += markdownTable(
    ['check', 'passed', 'detail'],
    native.gates.map((g) => [g.check, g.passed ? 'yes' : 'no', g.detail]),
  );
  out += '\nMedian time per exact training step; ratios paired per round against plain C.\n\n';
  out += markdownTable(
    ['qubits', 'P', PLAIN_C, QIOT_NODE, WASM3_NATIVE, POSIX_BOARD],
    native.rows.map((r) => [r.qubits, r.params, ...[PLAIN_C, QIOT_NODE, WASM3_NATIVE, POSIX_BOARD].map((n) => timingCell(r, n))]),
  );
  out += '\nRatios (paired per round; median and 95 % bootstrap interval):\n\n';
  out += markdownTable(
    ['qubits', 'Node / C', 'native runner / C', 'posix board / C', 'native runner / Node', 'posix board / Node'],
    native.rows.map((r) => [
      r.qubits,
      ratioCell(r, QIOT_NODE),
      ratioCell(r, WASM3_NATIVE),
      ratioCell(r, POSIX_BOARD),
      ratioCell(r, ratioKey(WASM3_NATIVE, QIOT_NODE)),
      ratioCell(r, ratioKey(POSIX_BOARD, QIOT_NODE)),
    ]),
  );
  return out + '\n' + native.notes.map((n) => `- ${n}\n`).join('');
}

async function scalingSection(results: BenchResults, paths: ReportPaths): Promise<string> {
  const scaling = results.scaling;
  let out = '## 6. Scaling of one training step (qiot in Node, exact)\n\n';
  if (!scaling.measured) return out + `${notMeasuredText(scaling)}\n`;
  out += '### With the qubits (2 layers, parameter shift)\n\n';
  out += markdownTable(
    ['qubits', 'P', 'step', 'step(n) / step(n−1)'],
    scaling.byQubits.map((r, i) => {
      const t = r.timings[PARAMETER_SHIFT];
      const prev = i > 0 ? scaling.byQubits[i - 1].timings[PARAMETER_SHIFT] : undefined;
      return [r.qubits, r.params, timingCell(r, PARAMETER_SHIFT), t?.measured && prev?.measured ? times(t.median / prev.median) : '—'];
    }),
  );
  const q = await drawStepTimeFigure({
    base: join(paths.figures, 'scaling-qubits'),
    title: 'Step time vs qubits (qiot, Node)',
    subtitle: '2 layers, exact, parameter shift',
    xTitle: 'qubits',
    series: seriesByContender(scaling.byQubits, (r) => r.qubits),
  });
  out += `\n![step time vs qubits](${relative(dirname(paths.doc), q.svg)})\n`;
  out += '\n### With the parameters (depth grows; parameter shift vs SPSA)\n\n';
  out += markdownTable(
    ['layers', 'P', PARAMETER_SHIFT, SPSA, 'parameter shift / SPSA'],
    scaling.byParams.map((r) => [r.layers, r.params, timingCell(r, PARAMETER_SHIFT), timingCell(r, SPSA), ratioCell(r, PARAMETER_SHIFT)]),
  );
  const p = await drawStepTimeFigure({
    base: join(paths.figures, 'scaling-params'),
    title: 'Step time vs parameters (qiot, Node)',
    subtitle: `${scaling.byParams[0]?.qubits ?? '?'} qubits, exact`,
    xTitle: 'parameters P (log)',
    xLog: true,
    series: seriesByContender(scaling.byParams, (r) => r.params),
  });
  out += `\n![step time vs parameters](${relative(dirname(paths.doc), p.svg)})\n\n`;
  out += markdownTable(
    ['fit', 'slope', '95 % CI', 'meaning'],
    Object.entries(scaling.fits).map(([k, f]) => [k, fmt(f.slope, 3), `[${fmt(f.low, 3)}, ${fmt(f.high, 3)}]`, f.meaning]),
  );
  return out + '\n' + scaling.notes.map((n) => `- ${n}\n`).join('');
}

export async function renderReport(results: BenchResults, paths: ReportPaths): Promise<void> {
  mkdirSync(paths.figures, { recursive: true });
  const m = results.meta;
  const parts = [
    '# qiot benchmarks\n',
    `Generated by \`make bench${m.quick ? '-quick' : ''}\` (bench/run.ts) from \`${paths.results}\` — do not edit by hand.\n`,
    `Run: ${m.startedAt}, ${fmt(m.durationSeconds)} s; ${m.machine.cpu}, ${m.machine.cores} cores (shared), Node ${m.machine.node}, ` +
      `load average (1/5/15 min) ${m.machine.loadAtStart.map((l) => l.toFixed(1)).join(' / ')} at the start, ${m.machine.loadAtEnd.map((l) => l.toFixed(1)).join(' / ')} at the end (the machine is shared: absolute times move with the load, paired ratios much less). ` +
      (m.module ? `Module ${m.module.path}: ${m.module.bytes} bytes, sha256 ${m.module.sha256.slice(0, 16)}…\n` : 'Module: not built.\n'),
    `Method: contenders are timed in the same run, round-robin (${m.plan.rounds} rounds, order rotated each round, ${m.plan.warmupSteps} warm-up steps first); ` +
      `each sample runs steps for ≥ ${m.plan.minSampleSeconds} s (at most ${m.plan.maxStepsPerSample}) and each contender times its own steps in-process. ` +
      'Tables give the median per step; ratios are medians of the per-round ratios with a 95 % percentile-bootstrap interval.\n',
    'Reproduce: `make bench` (full run, ≈ 20–40 min on 2 cores; installs the pinned PennyLane, JAX and Qiskit virtualenv, builds the native ' +
      'contenders, rewrites bench/results.json and this page); `make bench-quick` runs the same pipeline at one size into build/bench-quick/; ' +
      '`npx tsx bench/run.ts --only SECTIONS …` re-measures some sections and keeps the others of the results file; ' +
      '`make bench-report` renders this page again from bench/results.json without measuring.\n',
    ...(m.partial
      ? [
          `**Partial run**: only ${m.partial.sections.join(', ')} were measured in the run above; the other sections are from the run of ${m.partial.othersFrom ?? 'an unknown date'}.\n`,
        ]
      : []),
    '## Goals\n',
    goalSummary(results),
    await peersSection(results, paths),
    '### Cross-check: qiot (Node) run alone\n\n' + quantityTable(results.isolated),
    await exactPeersSection(results, paths),
    nativeSection(results),
    '## Gradients, number formats and shots (issue 14)\n\n' +
      (results.gradients ? quantityTable(results.gradients) : 'Not in this results file (written before issue 14).\n'),
    '## 3. Interpreter cost\n\n' + quantityTable(results.interpreter),
    '## 4. Footprint\n\n' + quantityTable(results.footprint),
    '## 5. Link\n\n' + quantityTable(results.link),
    await scalingSection(results, paths),
    ...[fleetSection(paths.fleet)].filter((x) => x !== null),
  ];
  mkdirSync(dirname(paths.doc), { recursive: true });
  writeFileSync(paths.doc, parts.join('\n'));
}
