import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BenchResults, notMeasured, type TimedRow } from '../results-schema.ts';
import { missingRequired } from '../required.ts';
import { renderReport } from './render.ts';

const timing = (median: number) => ({ measured: true as const, median, q1: median * 0.9, q3: median * 1.1, rounds: 5 });

function row(qubits: number, shots: number): TimedRow {
  return {
    qubits,
    layers: 2,
    params: 4 * qubits,
    shots,
    baseline: 'qiot (Node)',
    timings: {
      'qiot (Node)': timing(1e-4 * qubits),
      'PennyLane default.qubit': timing(0.03 * qubits),
      'PennyLane lightning.qubit': notMeasured('pennylane-lightning is not installed'),
    },
    ratios: { 'PennyLane default.qubit': { median: 300, low: 280, high: 320 } },
  };
}

function sample(): BenchResults {
  return BenchResults.parse({
    meta: {
      startedAt: '2026-11-25T02:20:00.000Z',
      durationSeconds: 600,
      quick: false,
      machine: { cpu: 'test cpu', cores: 2, node: 'v20', loadAtStart: [1, 1, 1], loadAtEnd: [2, 1, 1] },
      module: { path: 'build/qiot.wasm', bytes: 11000, sha256: 'ab'.repeat(32) },
      plan: { rounds: 5, warmupSteps: 1, minSampleSeconds: 0.1, maxStepsPerSample: 100 },
    },
    peers: {
      measured: true,
      versions: { pennylane: '0.45.1' },
      gates: [
        {
          qubits: 4,
          reference: 'PennyLane default.qubit',
          candidate: 'qiot (Node)',
          lossDifference: 1e-7,
          maxGradientDifference: 2e-7,
          tolerance: 1e-4,
          passed: true,
        },
      ],
      rows: [row(4, 0), row(6, 0), row(4, 1000)],
      notes: ['a note'],
    },
    isolated: notMeasured('bench/runtime-bench.ts is not in this checkout'),
    native: notMeasured('build/bench/qref-native not built'),
    interpreter: {
      measured: true,
      items: { 'rv32 instructions per step, wasm3 / plain C': notMeasured('bench/rv32-budgets.ts failed: qemu missing') },
      notes: [],
    },
    footprint: {
      measured: true,
      items: {
        'module (qiot.wasm)': { measured: true, value: 11000, unit: 'bytes', goal: '≤ 12288 bytes', met: true, source: 'build/qiot.wasm' },
      },
      notes: [],
    },
    link: notMeasured('bench/link-bench.ts is not in this checkout'),
    scaling: notMeasured('qiot module unavailable'),
  });
}

describe('benchmark report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qiot-bench-report-'));
  const paths = { doc: join(dir, 'benchmarks.md'), figures: join(dir, 'figures'), results: 'bench/results.json' };

  it('states every missing piece with its reason, never a number', async () => {
    await renderReport(sample(), paths);
    const doc = readFileSync(paths.doc, 'utf8');
    for (const reason of [
      'build/bench/qref-native not built',
      'bench/rv32-budgets.ts failed: qemu missing',
      'bench/link-bench.ts is not in this checkout',
      'qiot module unavailable',
      'pennylane-lightning is not installed',
    ]) {
      expect(doc).toContain(`not measured: ${reason}`);
    }
  });

  it('tabulates medians and paired ratios and checks goals', async () => {
    await renderReport(sample(), paths);
    const doc = readFileSync(paths.doc, 'utf8');
    expect(doc).toContain('| 6 | 24 | 0.6 ms | 180 ms |');
    expect(doc).toContain('300× [280, 320]');
    expect(doc).toMatch(/qiot \(Node\) vs default\.qubit, 4 qubits, exact \| ≥ 20× faster \| 300× faster \| yes/);
    expect(doc).toMatch(/module \(qiot\.wasm\) \| ≤ 12288 bytes \| 11000 B \| yes/);
  });

  it('renders the exact-gradient peers: times, ratios over device and host build, goals met or missed', async () => {
    const device = 'qiot device build (Node, Q1.30, adjoint)';
    const host = 'qiot host build (Node, f32 SIMD, adjoint)';
    const jax = 'PennyLane default.qubit + JAX jit';
    const results = BenchResults.parse({
      ...sample(),
      exactPeers: {
        measured: true,
        versions: { jax: '0.10.2' },
        gates: [],
        rows: [
          {
            qubits: 8,
            layers: 2,
            params: 32,
            shots: 0,
            baseline: device,
            timings: { [device]: timing(4e-4), [host]: timing(2e-4), [jax]: timing(1.6e-3) },
            ratios: { [jax]: { median: 4, low: 3, high: 5 }, [`${jax} / host build`]: { median: 8, low: 7, high: 9 } },
          },
        ],
        multiThreadRows: [],
        goals: {
          'fastest peer (JAX) / qiot device build (Node), 8 qubits': {
            measured: true,
            value: 4,
            unit: '×',
            goal: '≥ 5× (qiot faster)',
            met: false,
            source: 's',
          },
        },
        notes: ['exact note'],
      },
    });
    await renderReport(results, paths);
    const doc = readFileSync(paths.doc, 'utf8');
    expect(doc).toContain('| 8 | 32 | 0.4 ms | 0.2 ms | 1.6 ms |');
    expect(doc).toContain('| 8 | 4× [3, 5] | 8× [7, 9] |');
    expect(doc).toMatch(/fastest peer \(JAX\) \/ qiot device build \(Node\), 8 qubits \| ≥ 5× \(qiot faster\) \| 4× \| no/);
    expect(doc).toContain('- exact note');
  });

  it('draws one figure per shot mode as SVG and PNG, linked from the doc', async () => {
    await renderReport(sample(), paths);
    const doc = readFileSync(paths.doc, 'utf8');
    for (const base of ['peers-exact', 'peers-1000-shots']) {
      expect(readFileSync(join(paths.figures, `${base}.svg`), 'utf8')).toMatch(/^<svg/);
      expect(
        readFileSync(join(paths.figures, `${base}.png`))
          .subarray(1, 4)
          .toString(),
      ).toBe('PNG');
      expect(doc).toContain(`figures/${base}.svg`);
    }
    expect(existsSync(join(paths.figures, 'scaling-qubits.svg'))).toBe(false);
  });

  it('docs/benchmarks.md is bench/results.json rendered by this code (make bench-report after a change here)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'qiot-bench-doc-'));
    const committed = BenchResults.parse(JSON.parse(readFileSync('bench/results.json', 'utf8')));
    const doc = join(out, 'benchmarks.md');
    await renderReport(committed, {
      doc,
      figures: join(out, 'benchmarks'),
      results: 'bench/results.json',
      fleet: 'bench/fleet-results.json',
    });
    expect(readFileSync(doc, 'utf8')).toBe(readFileSync('docs/benchmarks.md', 'utf8'));
  });

  it('a required section that was not measured is reported with its reason', () => {
    expect(missingRequired(sample(), ['peers'])).toEqual([]);
    expect(missingRequired(sample(), ['peers', 'native', 'scaling'])).toEqual([
      'native: build/bench/qref-native not built',
      'scaling: qiot module unavailable',
    ]);
  });
});
