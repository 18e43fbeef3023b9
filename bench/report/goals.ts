// The Goals table of docs/benchmarks.md: every goal of the results with its target, the
// measured value, met or not, and why a goal was missed (goal-reasons.ts) or met only by
// its median. Rendered from the results alone, so `bench/run.ts --render-only` can redo it.
import { fmt, markdownTable, type Cell } from '../../host/src/report/markdown-table.ts';
import { GOALS } from '../config.ts';
import type { BenchResults, Quantity, TimedRow } from '../results-schema.ts';
import { shotsLabel } from '../rows.ts';
import { QIOT_DEVICE, fastestPeer, overHost } from '../sections/exact-peers.ts';
import { peerName } from '../sections/peers.ts';
import { type Interval, missedReason } from './goal-reasons.ts';

type ExactPeers = Extract<NonNullable<BenchResults['exactPeers']>, { measured: true }>;

const times = (value: number) => `${fmt(value, 3)}×`;
const NO_REASON = 'no reason recorded: add one to bench/report/goal-reasons.ts after finding it';
const intervalText = (i: Interval) => `95 % CI [${i.low.toFixed(2)}, ${i.high.toFixed(2)}]`;

/**
 * The host build's ratio against the same fastest peer at the device build's sizes: the
 * issue's goal is "Node, exact training step", which both builds run. From the rows of
 * the exact-peers section (its `… / host build` ratios), so older results render it too.
 */
function hostGoals(exact: ExactPeers): Map<number, [string, Quantity]> {
  const out = new Map<number, [string, Quantity]>();
  for (const row of exact.rows.filter((r) => r.baseline === QIOT_DEVICE)) {
    const peer = fastestPeer(row);
    const r = peer ? row.ratios[overHost(peer)] : undefined;
    if (!peer || !r) continue;
    out.set(row.qubits, [
      `fastest peer (${peer}) / qiot host build (Node), ${row.qubits} qubits`,
      {
        measured: true,
        value: r.median,
        unit: '×',
        goal: `≥ ${GOALS.nodeOverFastestPeer}× (qiot faster)`,
        met: r.median >= GOALS.nodeOverFastestPeer,
        source: `${row.qubits} qubits × ${row.layers} layers, exact, one thread each; paired median, ${intervalText({ low: r.low, high: r.high })}`,
      },
    ]);
  }
  return out;
}

/** The exact-peers goals, each device-build goal followed by the host build's at the same size. */
export function exactGoals(exact: ExactPeers): Record<string, Quantity> {
  const host = hostGoals(exact);
  const out: Record<string, Quantity> = {};
  for (const [name, q] of Object.entries(exact.goals)) {
    out[name] = q;
    const qubits = /qiot device build \(Node\), (\d+) qubits$/.exec(name)?.[1];
    const pair = qubits ? host.get(Number(qubits)) : undefined;
    if (pair) out[pair[0]] = pair[1];
  }
  return out;
}

/** The 95 % interval a ratio quantity's source states ("95 % CI [a, b]"), if it has one. */
export function statedInterval(q: Quantity): Interval | undefined {
  const m = q.measured ? /95 % CI \[([-\d.e+]+), ([-\d.e+]+)\]/.exec(q.source) : null;
  return m ? { low: Number(m[1]), high: Number(m[2]) } : undefined;
}

/** The number a goal text compares with ("≥ 5× (qiot faster)" → 5, "≤ 100 M" → 100). */
export function goalLimit(goal: string): number | undefined {
  const m = /^[≤≥<>]\s*([\d.]+)/.exec(goal);
  return m ? Number(m[1]) : undefined;
}

/** Why a goal was missed, or a note on a goal met only by its median; '' when there is nothing to say. */
export function goalNote(name: string, q: Quantity, results: BenchResults): string {
  if (!q.measured || q.met === undefined || !q.goal) return '';
  const ci = statedInterval(q);
  const limit = goalLimit(q.goal);
  const straddles = ci && limit !== undefined && ci.low <= limit && limit <= ci.high;
  const noise = straddles ? `the ${intervalText(ci)} includes the target` : '';
  if (q.met) return noise ? `met by the median only: ${noise}` : '';
  const reason = missedReason(name, results);
  if (reason) return noise ? `${reason} (${noise})` : reason;
  return noise ? `within this run's noise: ${noise}` : NO_REASON;
}

function quantityCells(name: string, q: Quantity, results: BenchResults, digits = 4): Cell[] | null {
  if (!q.measured) return [name, '—', `not measured: ${q.reason}`, '—', '—'];
  if (!q.goal) return null;
  const value = q.unit === 'bytes' ? `${q.value} B` : `${fmt(q.value, digits)}${q.unit === '×' ? '×' : ` ${q.unit}`}`;
  return [name, q.goal, value, q.met ? 'yes' : 'no', goalNote(name, q, results) || '—'];
}

function peerRows(results: BenchResults): Cell[][] {
  const peers = results.peers;
  if (!peers.measured)
    return [['qiot (Node) vs default.qubit', `≥ ${GOALS.speedupVsDefaultQubit}×`, `not measured: ${peers.reason}`, '—', '—']];
  const key = peerName('default.qubit');
  return peers.rows
    .filter((r: TimedRow) => r.qubits >= 4 && r.qubits <= 8)
    .map((row) => {
      const r = row.ratios[key];
      const name = `qiot (Node) vs default.qubit, ${row.qubits} qubits, ${shotsLabel(row.shots)}`;
      const met = r ? r.median >= GOALS.speedupVsDefaultQubit : undefined;
      return [
        name,
        `≥ ${GOALS.speedupVsDefaultQubit}× faster`,
        r ? `${times(r.median)} faster` : 'not measured',
        met === undefined ? '—' : met ? 'yes' : 'no',
        met === false ? (missedReason(name, results) ?? NO_REASON) : '—',
      ];
    });
}

/** The Goals table: goal, target, measured, met, and why a missed goal was missed. */
export function goalSummary(results: BenchResults): string {
  const rows = peerRows(results);
  const exact = results.exactPeers;
  if (exact?.measured) {
    for (const [name, q] of Object.entries(exactGoals(exact))) {
      const cells = quantityCells(name, q, results, 3);
      if (cells) rows.push(cells);
    }
  } else if (exact) {
    rows.push(['exact-gradient peers (issue 14)', '—', `not measured: ${exact.reason}`, '—', '—']);
  }
  for (const section of [results.interpreter, results.footprint, results.link, results.gradients]) {
    if (!section?.measured) continue;
    for (const [name, q] of Object.entries(section.items)) {
      const cells = quantityCells(name, q, results);
      if (cells) rows.push(cells);
    }
  }
  return (
    markdownTable(['goal', 'target', 'measured', 'met', 'why missed / note'], rows) +
    '\nIssue 14’s goal “bit-identical telemetry Node ↔ wasm3 ↔ rv32 for every build and gradient kind” is checked by tests, ' +
    'not measured here: `hil-tests/builds.test.ts` (both device builds × adjoint, parameter shift and SPSA, exact and with shots) ' +
    'and `hil-tests/training.test.ts`, on the posix and rv32 boards by `make hil` in `make test`; ' +
    '`runtime/builds.test.ts` holds the host build bit-identical to the f32 device build in Node.\n'
  );
}
