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

  it('a required section that was not measured is reported with its reason', () => {
    expect(missingRequired(sample(), ['peers'])).toEqual([]);
    expect(missingRequired(sample(), ['peers', 'native', 'scaling'])).toEqual([
      'native: build/bench/qref-native not built',
      'scaling: qiot module unavailable',
    ]);
  });
});
