import { describe, expect, it } from 'vitest';
import { parseLinkBench } from './link.ts';
import { compareIsolated } from './isolated.ts';

// The shape bench/link-bench.ts --json prints (values from one run on the posix board).
const output = {
  config: '/work/main/examples/iris-nlr.json',
  steps: 30,
  module_bytes: 13393,
  upload: { repetitions: 5, median_seconds: 0.0227, payload_kib_per_s: 575.7, payload_over_wire_tx: 0.978, wire_rx_bytes: 364 },
  telemetry: { wire_bytes_per_step: 88.73, record_bytes: 64 },
  step_time: { board_median_us: 93493.5, node_median_us: 3507.5, board_over_node: 26.66, telemetry_bit_identical: true },
};

describe('link bench adapter', () => {
  it("turns the script's JSON into quantities checked against their goals", () => {
    const section = parseLinkBench(JSON.stringify(output));
    if (!section.measured) throw new Error('expected a measured section');
    expect(section.items['upload payload / wire bytes']).toMatchObject({ value: 0.978, met: true });
    expect(section.items['telemetry wire bytes per step']).toMatchObject({ value: 88.73, unit: 'bytes' });
    expect(section.items['posix board / Node step time (training config)']).toMatchObject({ value: 26.66, met: false });
    expect(section.items['upload payload throughput']).toMatchObject({ unit: 'KiB/s', source: expect.stringContaining('window 8') });
  });

  it('refuses a step-time ratio whose telemetry was not bit-identical', () => {
    const section = parseLinkBench(JSON.stringify({ ...output, step_time: { ...output.step_time, telemetry_bit_identical: false } }));
    expect(section.measured && section.items['posix board / Node step time (training config)']).toMatchObject({ measured: false });
  });

  it('reports every item as not measured, with the reason, when the output changed shape', () => {
    const section = parseLinkBench(JSON.stringify({ ...output, upload: {} }));
    if (!section.measured) throw new Error('expected item-level reasons');
    for (const q of Object.values(section.items))
      expect(q).toMatchObject({ measured: false, reason: expect.stringContaining('payload_kib_per_s') });
  });
});

describe('runtime-bench cross-check', () => {
  const row = {
    qubits: 4,
    layers: 2,
    params: 16,
    shots: 0,
    baseline: 'qiot (Node)',
    ratios: {},
    timings: { 'qiot (Node)': { measured: true as const, median: 2e-5, q1: 1.9e-5, q3: 2.1e-5, rounds: 9 } },
  };
  it('divides the run-alone time by the interleaved median, matching qubits, layers and shots', () => {
    const out = JSON.stringify({
      rows: [
        { qubits: 4, layers: 2, shotsPerEval: 1000, msPerStep: 0.2, steps: 10 },
        { qubits: 4, layers: 2, shotsPerEval: 0, msPerStep: 0.03, steps: 100 },
      ],
    });
    const section = compareIsolated(out, [row, { ...row, qubits: 6 }], 0.5);
    if (!section.measured) throw new Error('expected a measured section');
    expect(section.items['qiot (Node) run alone / interleaved, 4 qubits, exact']).toMatchObject({ value: expect.closeTo(1.5, 12) });
    expect(section.items['qiot (Node) run alone / interleaved, 6 qubits, exact']).toMatchObject({ measured: false });
  });
});
