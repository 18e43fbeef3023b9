// Cross-check of the interleaved qiot (Node) medians against the runtime
// engineer's bench/runtime-bench.ts, which steps the module alone (no other
// contender in between). Large gaps would mean the harness distorts qiot's time.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { z } from 'zod';
import { notMeasured, type Quantity, type QuantitySection, type TimedRow } from '../results-schema.ts';
import { shotsLabel } from '../rows.ts';
import { QIOT_NODE } from './peers.ts';

export const RUNTIME_BENCH_SCRIPT = 'bench/runtime-bench.ts';
/** 8 configurations × the timed seconds each, plus module load: well under this. */
const RUNTIME_BENCH_TIMEOUT_MS = 120_000;

const RuntimeBenchOutput = z.object({
  rows: z.array(z.object({ qubits: z.int(), layers: z.int(), shotsPerEval: z.int(), msPerStep: z.number().positive(), steps: z.int() })),
});

export function compareIsolated(stdout: string, peerRows: readonly TimedRow[], seconds: number): z.infer<typeof QuantitySection> {
  const parsed = RuntimeBenchOutput.safeParse(JSON.parse(stdout));
  if (!parsed.success)
    return notMeasured(`${RUNTIME_BENCH_SCRIPT} output lacks fields: ${z.prettifyError(parsed.error).replaceAll('\n', ' ')}`);
  const items: Record<string, Quantity> = {};
  for (const row of peerRows) {
    const alone = parsed.data.rows.find((r) => r.qubits === row.qubits && r.layers === row.layers && r.shotsPerEval === row.shots);
    const interleaved = row.timings[QIOT_NODE];
    const name = `qiot (Node) run alone / interleaved, ${row.qubits} qubits, ${shotsLabel(row.shots)}`;
    items[name] =
      alone && interleaved?.measured
        ? {
            measured: true,
            value: alone.msPerStep / 1e3 / interleaved.median,
            unit: '×',
            source: `${RUNTIME_BENCH_SCRIPT} --seconds ${seconds}: ${alone.msPerStep.toPrecision(3)} ms/step over ${alone.steps} steps; interleaved median ${(interleaved.median * 1e3).toPrecision(3)} ms`,
          }
        : notMeasured(`${RUNTIME_BENCH_SCRIPT} has no ${row.qubits}-qubit, ${shotsLabel(row.shots)} row`);
  }
  return {
    measured: true,
    items,
    notes: [
      'Different seeds and θ from the interleaved runs; the same module, circuit, optimizer and shot mode. A ratio near 1 means the interleaving neither slows nor flatters qiot.',
    ],
  };
}

export function measureIsolated(
  peerRows: readonly TimedRow[] | null,
  seconds: number,
  log: (line: string) => void,
): z.infer<typeof QuantitySection> {
  if (!peerRows) return notMeasured('no interleaved qiot (Node) timings to compare with');
  if (!existsSync(RUNTIME_BENCH_SCRIPT)) return notMeasured(`${RUNTIME_BENCH_SCRIPT} is not in this checkout`);
  log(`  running ${RUNTIME_BENCH_SCRIPT}`);
  try {
    const stdout = execFileSync('npx', ['tsx', RUNTIME_BENCH_SCRIPT, '--json', '--seconds', String(seconds)], {
      encoding: 'utf8',
      timeout: RUNTIME_BENCH_TIMEOUT_MS,
    });
    return compareIsolated(stdout, peerRows, seconds);
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    return notMeasured(`${RUNTIME_BENCH_SCRIPT} failed: ${(err.stderr || err.message).trim().split('\n').slice(-3).join(' ')}`);
  }
}
