// Item 5: the serial link, from the device engineer's bench/link-bench.ts:
// upload payload throughput, payload/wire ratio with a pipelined window, and
// telemetry bytes per step.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { z } from 'zod';
import { GOALS } from '../config.ts';
import { notMeasured, type Quantity, type QuantitySection } from '../results-schema.ts';

export const LINK_BENCH_SCRIPT = 'bench/link-bench.ts';
/** The link bench uploads one module over a PTY; minutes would mean a stuck board. */
const LINK_TIMEOUT_MS = 300_000;

export const LinkBench = z.object({
  uploadPayloadBytesPerSecond: z.number().positive(),
  payloadWireRatio: z.number().positive(),
  window: z.int().positive(),
  telemetryBytesPerStep: z.number().positive(),
  transport: z.string(),
});

const ITEMS = ['upload payload throughput', 'upload payload / wire bytes', 'telemetry wire bytes per step'];

export function measureLink(log: (line: string) => void): z.infer<typeof QuantitySection> {
  const absent = (reason: string) => ({ measured: true as const, items: Object.fromEntries(ITEMS.map((n) => [n, notMeasured(reason)])), notes: [] });
  if (!existsSync(LINK_BENCH_SCRIPT)) return absent(`${LINK_BENCH_SCRIPT} is not in this checkout`);
  log(`  running ${LINK_BENCH_SCRIPT}`);
  let stdout: string;
  try {
    stdout = execFileSync('npx', ['tsx', LINK_BENCH_SCRIPT, '--json'], { encoding: 'utf8', timeout: LINK_TIMEOUT_MS });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    return absent(`${LINK_BENCH_SCRIPT} failed: ${(err.stderr || err.message).trim().split('\n').slice(-3).join(' ')}`);
  }
  let parsed;
  try {
    parsed = LinkBench.safeParse(JSON.parse(stdout));
  } catch {
    return absent(`${LINK_BENCH_SCRIPT} printed no JSON: ${stdout.slice(0, 200)}`);
  }
  if (!parsed.success) return absent(`${LINK_BENCH_SCRIPT} output lacks fields: ${z.prettifyError(parsed.error)}`);
  const r = parsed.data;
  const items: Record<string, Quantity> = {
    [ITEMS[0]]: { measured: true, value: r.uploadPayloadBytesPerSecond, unit: 'bytes/s', source: `${r.transport}, window ${r.window}` },
    [ITEMS[1]]: { measured: true, value: r.payloadWireRatio, unit: 'ratio', goal: `≥ ${GOALS.payloadWireRatio}`, met: r.payloadWireRatio >= GOALS.payloadWireRatio, source: `${r.transport}, window ${r.window}` },
    [ITEMS[2]]: { measured: true, value: r.telemetryBytesPerStep, unit: 'bytes', source: r.transport },
  };
  return { measured: true, items, notes: [] };
}
