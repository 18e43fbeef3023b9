// Why a goal of docs/benchmarks.md was missed: one entry per goal whose cause is known,
// keyed by the goal's name, its figures taken from the same results. A missed goal
// without an entry is reported as such (goals.ts), never given a made-up cause.
import { fmt } from '../../host/src/report/markdown-table.ts';
import type { BenchResults } from '../results-schema.ts';
import { QIOT_DEVICE, QIOT_HOST, overHost } from '../sections/exact-peers.ts';

export interface Interval {
  low: number;
  high: number;
}

interface Reason {
  /** The goal names (as the bench writes them) this cause explains; groups feed `why`. */
  goal: RegExp;
  why: (match: RegExpExecArray, results: BenchResults) => string | undefined;
}

const times = (value: number) => `${fmt(value, 3)}×`;

export const MISSED_REASONS: readonly Reason[] = [
  {
    goal: /^fastest peer \((.+)\) \/ qiot device build \(Node\), (\d+) qubits$/,
    why: ([, peer, qubits], results) => {
      const exact = results.exactPeers;
      const row = exact?.measured ? exact.rows.find((r) => r.qubits === Number(qubits) && r.baseline === QIOT_DEVICE) : undefined;
      const hostOverDevice = row?.ratios[QIOT_HOST];
      const host = row?.ratios[overHost(peer)];
      if (!hostOverDevice || !host) return undefined;
      return (
        'Q1.30 amplitudes are scalar i64 arithmetic in V8, without SIMD, so that the device build stays bit-identical on ' +
        `wasm3 and rv32 (wasm3 runs no SIMD): its step takes ${times(1 / hostOverDevice.median)} the host build's (f32 SIMD) here, ` +
        `and the host build is ${times(host.median)} [${fmt(host.low, 3)}, ${fmt(host.high, 3)}] faster than ${peer}`
      );
    },
  },
  {
    goal: /^posix board \/ Node step time \(training config\)$/,
    why: (_, results) => {
      const cpu = results.link.measured ? results.link.items['posix board / Node CPU time per step (training config)'] : undefined;
      if (!cpu?.measured) return undefined;
      return (
        'wall-clock time of two sequential runs (not interleaved): on a shared machine the board’s process waits for a CPU; ' +
        `by CPU time per step the board is ${times(cpu.value)} Node (section 5)`
      );
    },
  },
];

/** The known cause of a missed goal, with its figures from `results`, or undefined. */
export function missedReason(name: string, results: BenchResults): string | undefined {
  for (const reason of MISSED_REASONS) {
    const match = reason.goal.exec(name);
    if (match) return reason.why(match, results);
  }
  return undefined;
}
