// The fleet bench's tables (bench/fleet-bench.ts prints them) and the fleet section of
// docs/benchmarks.md, rendered from bench/fleet-results.json (make bench-fleet).
import { existsSync, readFileSync } from 'node:fs';
import type { FleetFigure } from '../fleet-boards.ts';
import type { JobCostFigure } from '../fleet-job-cost.ts';
import type { SweepFigure } from '../fleet-sweep.ts';

export interface FleetResults {
  machine: {
    cores: number;
    cpu: string;
    loadavg1Start: number;
    loadavg1BeforeBoards?: number;
    loadavg1: number;
    startedAt?: string;
    uptime?: string;
  };
  sweeps: { runs: number; steps: number; figures: SweepFigure[] }[];
  fleet: FleetFigure | null;
  /** The fixed cost per job (bench/fleet-job-cost.ts); absent in results of older benches. */
  jobCost?: JobCostFigure[];
}

/** Goals of issue 16's benchmark. */
export const FLEET_GOALS = { efficiency: 0.9, p99Ms: 50 } as const;

export function sweepTable(figures: SweepFigure[], cores: number): string[] {
  const r = (x: number | null, d = 1) => (x === null ? '?' : x.toFixed(d));
  return [
    '| worker threads | runs | steps/run | wall s | runs/min | steps/s | speed-up | efficiency T1/(min(N, cores)·TN) | worker CPU ms/step | cores: worker process | sweep client | Mosquitto | machine idle |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...figures.map(
      (s) =>
        `| ${s.threads}${s.threads > cores ? ' (over-subscribed)' : ''} | ${s.runs} | ${s.steps} | ${r(s.seconds)} | ${r(s.runsPerMin)} | ${r(s.stepsPerS, 0)} | ${r(s.speedup, 2)} | ${r(s.efficiency * 100, 0)} % | ${r(s.cores.worker === null ? null : (s.cores.worker * s.seconds * 1000) / (s.runs * s.steps), 2)} | ${r(s.cores.worker, 2)} | ${r(s.cores.client, 2)} | ${r(s.cores.broker, 2)} | ${r(s.cores.idle, 2)} |`,
    ),
  ];
}

/** CPU per run = c + s · steps, per side, from bench/fleet-job-cost.ts: the fixed cost per job c and the cost per step s. */
export function jobCostTable(figures: JobCostFigure[]): string[] {
  const cell = (f: JobCostFigure, side: keyof JobCostFigure['fits']) => {
    const v = f.fits[side];
    return v ? `${v.perJobMs.toFixed(1)} + ${(v.perStepMs * 1000).toFixed(1)}` : '?';
  };
  const lengths = figures[0]?.lengths.map((l) => `${l.runs} × ${l.steps}`).join(', ') ?? '';
  return [
    `CPU per run = c ms + s µs × steps, fitted over sweeps of ${lengths} steps (weights 1/y²), each cell "c + s":`,
    '',
    '| source | worker threads | worker: executor thread | worker: module threads | worker: other threads | sweep client | Mosquitto | total | MQTT messages per run |',
    '|---|---|---|---|---|---|---|---|---|',
    ...figures.map(
      (f) =>
        `| ${f.tree} | ${f.threads} | ${cell(f, 'workerMain')} | ${cell(f, 'workerPool')} | ${cell(f, 'workerOther')} | ${cell(f, 'client')} | ${cell(f, 'broker')} | **${cell(f, 'total')}** | ${f.messages.perJob.toFixed(1)} + ${(f.messages.perStep * 1000).toFixed(1)} per 1 000 steps |`,
    ),
  ];
}

export function boardsTable(fleet: FleetFigure, cores: number): string[] {
  const r = (x: number, d = 1) => x.toFixed(d);
  return [
    `| fake boards | processes | QoS | rate | seconds | sent | sent/s | received | lost | duplicates | subscriber reconnects | delivered msgs/s | p50 ms | p99 ms | max ms |`,
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    `| ${fleet.boards} | ${fleet.procs} | ${fleet.qos} | ${fleet.hz} Hz | ${fleet.seconds} | ${fleet.sent} | ${r(fleet.sentPerS, 0)} | ${fleet.received} | ${fleet.lost} | ${fleet.duplicates} | ${fleet.reconnects} | ${r(fleet.msgsPerS, 0)} | ${r(fleet.p50Ms)} | ${r(fleet.p99Ms)} | ${r(fleet.maxMs)} |`,
    '',
    `subscriber: ${fleet.redelivered} messages redelivered (DUP)${fleet.disconnects.length ? `; connection: ${fleet.disconnects.join(', ')}` : ''}`,
    `p99 ms by 5 s window of scheduled send time: ${fleet.p99ByWindowMs.map((x) => r(x)).join(', ')}`,
    `publisher timer lag ms (worst process): p50 ${r(fleet.publisherLagMs.p50)}, p99 ${r(fleet.publisherLagMs.p99)}, max ${r(fleet.publisherLagMs.max)}`,
    '',
    '| side | CPU µs/msg | cores used |',
    '|---|---|---|',
    `| fake boards (${fleet.procs} processes) | ${r(fleet.publisherCpuUsPerMsg)} | ${r(fleet.cores.publishers, 2)} |`,
    `| Mosquitto | ${fleet.brokerCpuUsPerMsg === null ? '?' : r(fleet.brokerCpuUsPerMsg)} | ${fleet.cores.broker === null ? '?' : r(fleet.cores.broker, 2)} |`,
    `| subscriber | ${r(fleet.subscriberCpuUsPerMsg)} | ${r(fleet.cores.subscriber, 2)} |`,
    `| (machine idle) | | ${r(fleet.cores.idle, 2)} of ${cores} |`,
  ];
}

/** docs/benchmarks.md's fleet section; null when the fleet bench has not run (no results file). */
export function fleetSection(path: string | undefined): string | null {
  if (!path || !existsSync(path)) return null;
  const f = JSON.parse(readFileSync(path, 'utf8')) as FleetResults;
  if (!Array.isArray(f.sweeps) || f.sweeps.some((s) => !Array.isArray(s.figures)))
    return `## 7. Fleet (make bench-fleet)\n\n\`${path}\` was written by an older fleet bench: run \`make bench-fleet\`.\n`;
  const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
  const goals: string[] = ['| goal | target | measured | met |', '|---|---|---|---|'];
  for (const s of f.sweeps) {
    const atCores = s.figures.find((x) => x.threads === f.machine.cores);
    if (atCores)
      goals.push(
        `| sweep parallel efficiency, ${atCores.threads} threads (= cores), ${s.runs} runs × ${s.steps} steps | ≥ ${pct(FLEET_GOALS.efficiency)} | ${pct(atCores.efficiency)} | ${atCores.efficiency >= FLEET_GOALS.efficiency ? 'yes' : 'no'} |`,
      );
  }
  if (f.fleet) {
    const b = f.fleet;
    goals.push(
      `| ${b.boards} fake boards at ${b.hz} Hz, ${b.seconds} s, QoS ${b.qos}: records lost | 0 | ${b.lost} | ${b.lost === 0 ? 'yes' : 'no'} |`,
    );
    goals.push(
      `| same: p99 board→subscriber latency | ≤ ${FLEET_GOALS.p99Ms} ms | ${b.p99Ms.toFixed(1)} ms | ${b.p99Ms <= FLEET_GOALS.p99Ms ? 'yes' : 'no'} |`,
    );
  }
  const m = f.machine;
  return [
    '## 7. Fleet (make bench-fleet)\n',
    `From \`bench/fleet-results.json\` (bench/fleet-bench.ts; a real Mosquitto 2.0.11, ${m.cores} cores (${m.cpu}), load average ${m.loadavg1Start.toFixed(1)} at the start, ${m.loadavg1.toFixed(1)} at the end${m.uptime ? `; \`uptime\` before: ${m.uptime}` : ''}). ` +
      'Sweeps: Iris (examples/iris-nlr.json: 4 qubits, 3 layers, NLR) in a `qiot worker --threads N` process, the sweep client in the bench process, ' +
      'thread counts interleaved over rounds, each keeping its median; efficiency = T1 / (min(N, cores) · TN). Fake boards: see docs/fleet.md. ' +
      'What the figures mean, their causes and the 10⁴–10⁶-device arithmetic: docs/fleet.md, "Measured on this machine".\n',
    goals.join('\n'),
    '',
    ...f.sweeps.flatMap((s) => [`Sweep of ${s.runs} runs × ${s.steps} steps:`, '', ...sweepTable(s.figures, m.cores), '']),
    ...(f.jobCost?.length
      ? [
          'Fixed cost per job (CPU time from /proc, so it holds on a loaded machine; docs/fleet.md "What a job costs"):',
          '',
          ...jobCostTable(f.jobCost),
          '',
        ]
      : []),
    ...(f.fleet ? boardsTable(f.fleet, m.cores) : []),
    '',
  ].join('\n');
}
