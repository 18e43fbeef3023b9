// The fleet section of docs/benchmarks.md: goals judged from the results file
// (efficiency at the core count, records lost, p99), no section without a file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { FleetFigure } from '../fleet-boards.ts';
import type { SweepFigure } from '../fleet-sweep.ts';
import { fleetSection, type FleetResults } from './fleet-section.ts';

const sweep = (threads: number, seconds: number, t1: number): SweepFigure => ({
  threads,
  runs: 8,
  steps: 3000,
  seconds,
  runsPerMin: (8 / seconds) * 60,
  stepsPerS: 24000 / seconds,
  cores: { worker: threads, client: 0.05, broker: 0.02, idle: 0 },
  speedup: t1 / seconds,
  efficiency: t1 / seconds / Math.min(threads, 2),
});
const boards = { boards: 1000, hz: 10, seconds: 60, qos: 1, lost: 0, p99Ms: 60 } as Partial<FleetFigure>;

it('judges the goals from the results and renders every sweep', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qiot-fleet-section-'));
  try {
    const results: FleetResults = {
      machine: { cores: 2, cpu: 'test', loadavg1Start: 1, loadavg1: 1 },
      sweeps: [
        { runs: 8, steps: 3000, figures: [sweep(1, 20, 20), sweep(2, 10.5, 20), sweep(4, 10, 20)] },
        { runs: 16, steps: 300, figures: [sweep(1, 4, 4), sweep(2, 3, 4)] },
      ],
      fleet: {
        ...boards,
        procs: 4,
        sent: 600000,
        received: 600000,
        duplicates: 0,
        reconnects: 0,
        redelivered: 0,
        disconnects: [],
        msgsPerS: 10000,
        sentPerS: 10000,
        p50Ms: 2,
        maxMs: 80,
        p99ByWindowMs: [60],
        publisherLagMs: { p50: 0, p99: 1, max: 2 },
        subscriberCpuUsPerMsg: 15,
        publisherCpuUsPerMsg: 30,
        brokerCpuUsPerMsg: 20,
        cores: { publishers: 0.3, broker: 0.2, subscriber: 0.15, idle: 1 },
      } as FleetFigure,
    };
    const line = (perJobMs: number, perStepMs: number) => ({ perJobMs, perStepMs });
    results.jobCost = [
      {
        tree: 'after',
        threads: 2,
        rounds: 2,
        lengths: [
          {
            steps: 30,
            runs: 24,
            wallS: 1,
            cpuS: { workerMain: 0, workerPool: 0, workerOther: 0, client: 0, broker: 0 },
            published: { sent: 0, received: 0 },
          },
        ],
        fits: {
          workerMain: line(1.5, 0.004),
          workerPool: line(0.5, 0.9),
          workerOther: line(0.2, 0.01),
          client: line(3, 0.012),
          broker: line(0.3, 0.002),
          worker: line(2.2, 0.914),
          total: line(5.5, 0.928),
          wall: line(10, 1),
        },
        messages: { perJob: 7, perStep: 0.005 },
      },
    ];
    const path = join(dir, 'fleet-results.json');
    writeFileSync(path, JSON.stringify(results));
    const text = fleetSection(path)!;
    expect(text).toContain('| sweep parallel efficiency, 2 threads (= cores), 8 runs × 3000 steps | ≥ 90 % | 95 % | yes |');
    expect(text).toContain('| sweep parallel efficiency, 2 threads (= cores), 16 runs × 300 steps | ≥ 90 % | 67 % | no |');
    expect(text).toContain('records lost | 0 | 0 | yes |');
    expect(text).toContain('| same: p99 board→subscriber latency | ≤ 50 ms | 60.0 ms | no |');
    expect(text).toContain('| 4 (over-subscribed) | 8 | 3000 |');
    expect(text).toContain(
      '| after | 2 | 1.5 + 4.0 | 0.5 + 900.0 | 0.2 + 10.0 | 3.0 + 12.0 | 0.3 + 2.0 | **5.5 + 928.0** | 7.0 + 5.0 per 1 000 steps |',
    );
    expect(fleetSection(join(dir, 'absent.json'))).toBeNull();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
