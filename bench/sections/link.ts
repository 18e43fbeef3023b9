// Item 5: the serial link, from the device engineer's bench/link-bench.ts (the
// posix board over its pseudo-terminal): upload payload throughput, payload /
// wire bytes with the client's pipelined window, telemetry wire bytes per step,
// and that script's own board-vs-Node step-time check on a training config.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { z } from 'zod';
import { CLIENT } from '../../host/src/device/limits.ts';
import { GOALS } from '../config.ts';
import { notMeasured, type Quantity, type QuantitySection } from '../results-schema.ts';

export const LINK_BENCH_SCRIPT = 'bench/link-bench.ts';
/** The link bench uploads a module 6 times and trains 2 × 30 steps over a PTY; minutes would mean a stuck board. */
const LINK_TIMEOUT_MS = 300_000;

export const LinkBenchOutput = z.object({
  config: z.string(),
  steps: z.int().positive(),
  upload: z.object({
    repetitions: z.int().positive(),
    payload_kib_per_s: z.number().positive(),
    payload_over_wire_tx: z.number().positive(),
  }),
  telemetry: z.object({ wire_bytes_per_step: z.number().positive(), record_bytes: z.int().positive() }),
  step_time: z.object({
    board_over_node: z.number().positive(),
    telemetry_bit_identical: z.boolean(),
    /** Absent from link benches before the CPU-time split; null when the board is not a local process. */
    board_cpu_us_per_step: z.number().positive().nullable().optional(),
    node_cpu_us_per_step: z.number().positive().optional(),
    board_wall_us_total: z.number().positive().optional(),
  }),
});

const ITEMS = [
  'upload payload throughput',
  'upload payload / wire bytes',
  'telemetry wire bytes per step',
  'posix board / Node step time (training config)',
  'posix board / Node CPU time per step (training config)',
  'posix board step_us / its CPU time (training config)',
];

function absent(reason: string): z.infer<typeof QuantitySection> {
  return { measured: true, items: Object.fromEntries(ITEMS.map((n) => [n, notMeasured(reason)])), notes: [] };
}

/**
 * step_us is wall time: a board step of tens of ms on a loaded machine waits for the CPU while a
 * sub-ms Node step mostly does not. The CPU times of both whole runs (/proc utime + stime of the
 * board process; process.cpuUsage of the harness, which also counts its own work) split the ratio.
 */
function cpuItems(r: z.infer<typeof LinkBenchOutput>, config: string): Record<string, Quantity> {
  const { board_cpu_us_per_step: board, node_cpu_us_per_step: node, board_wall_us_total: wall } = r.step_time;
  if (!board || !node || !wall) {
    const why = notMeasured(`${LINK_BENCH_SCRIPT} did not report CPU times (the board is not a local process)`);
    return { [ITEMS[4]]: why, [ITEMS[5]]: why };
  }
  const source = `${config}; CPU time of the whole runs / steps (board: /proc utime + stime; Node: process.cpuUsage, harness included)`;
  return {
    [ITEMS[4]]: { measured: true, value: board / node, unit: '×', source },
    [ITEMS[5]]: { measured: true, value: wall / (board * r.steps), unit: '×', source: `${config}; sum of step_us / board CPU time` },
  };
}

export function parseLinkBench(stdout: string): z.infer<typeof QuantitySection> {
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    return absent(`${LINK_BENCH_SCRIPT} printed no JSON: ${stdout.slice(0, 200)}`);
  }
  const parsed = LinkBenchOutput.safeParse(json);
  if (!parsed.success) return absent(`${LINK_BENCH_SCRIPT} output lacks fields: ${z.prettifyError(parsed.error).replaceAll('\n', ' ')}`);
  const r = parsed.data;
  const upload = `posix board PTY, window ${CLIENT.uploadWindow}, ${r.upload.repetitions} full uploads (throughput: median, ratio: mean)`;
  const config = `${r.config.replace(/^.*\/(examples\/)/, '$1')}, ${r.steps} steps`;
  const items: Record<string, Quantity> = {
    [ITEMS[0]]: { measured: true, value: r.upload.payload_kib_per_s, unit: 'KiB/s', source: upload },
    [ITEMS[1]]: {
      measured: true,
      value: r.upload.payload_over_wire_tx,
      unit: 'ratio',
      goal: `≥ ${GOALS.payloadWireRatio}`,
      met: r.upload.payload_over_wire_tx >= GOALS.payloadWireRatio,
      source: `${upload}, host → board bytes`,
    },
    [ITEMS[2]]: {
      measured: true,
      value: r.telemetry.wire_bytes_per_step,
      unit: 'bytes',
      source: `${config}; record ${r.telemetry.record_bytes} B`,
    },
    [ITEMS[3]]: r.step_time.telemetry_bit_identical
      ? {
          measured: true,
          value: r.step_time.board_over_node,
          unit: '×',
          goal: `≤ ${GOALS.wasm3OverNode}×`,
          met: r.step_time.board_over_node <= GOALS.wasm3OverNode,
          source: `${config}; medians of two sequential runs (not interleaved), telemetry bit-identical`,
        }
      : notMeasured(`${LINK_BENCH_SCRIPT}: board and Node telemetry differ, so the step times are not comparable`),
    ...cpuItems(r, config),
  };
  return {
    measured: true,
    items,
    notes: [
      'The PTY has no baud rate: throughput is bounded by the two processes, not by a UART; on a real board the UART rate bounds it.',
      "Board / Node step time uses step_us, wall time around the module's step only (firmware/core/train.c: no protocol or telemetry work inside); on this shared machine a long board step is preempted, so the CPU-time ratio beside it is the interpreter's cost.",
    ],
  };
}

export function measureLink(log: (line: string) => void): z.infer<typeof QuantitySection> {
  if (!existsSync(LINK_BENCH_SCRIPT)) return absent(`${LINK_BENCH_SCRIPT} is not in this checkout`);
  log(`  running ${LINK_BENCH_SCRIPT}`);
  try {
    return parseLinkBench(execFileSync('npx', ['tsx', LINK_BENCH_SCRIPT, '--json'], { encoding: 'utf8', timeout: LINK_TIMEOUT_MS }));
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    return absent(`${LINK_BENCH_SCRIPT} failed: ${(err.stderr || err.message).trim().split('\n').slice(-3).join(' ')}`);
  }
}
