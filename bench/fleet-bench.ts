// Fleet benchmark (make bench-fleet, part of make bench; a script, not a test),
// on a real Mosquitto started from host/testing/mosquitto.conf:
//   1. sweep throughput with 1, 2, 4 worker threads (bench/fleet-sweep.ts) for each
//      --sweeps setting RUNSxSTEPS: runs of a realistic length (8 × 3000 steps, seconds
//      each: the CPU scaling) and short ones (16 × 300 steps: the hand-out latency);
//   2. the fixed cost per job (bench/fleet-job-cost.ts): CPU per run = c + s·steps by side, fitted over
//      sweeps of 30, 300 and 3000 steps at 1 and 2 threads (--trees: several source trees side by side);
//   3. N light fake boards (default 1000) spread over --procs processes (default 4),
//      publishing 80-byte telemetry at 10 Hz (QoS 1) for S seconds (default 60), one
//      subscriber in this process (bench/fleet-boards.ts): records lost (by per-board
//      sequence), latency percentiles from the scheduled send time, messages/s, CPU per side.
// Results: bench/fleet-results.json and Markdown tables on stdout (docs/fleet.md quotes them).
// Usage: npx tsx bench/fleet-bench.ts [--boards 1000] [--seconds 60] [--procs 4] [--qos 1]
//          [--threads 1,2,4] [--sweeps 8x3000,16x300] [--rounds 3]
//          [--job-cost 24x30,16x300,4x3000] [--job-threads 1,2] [--job-rounds 2] [--trees before=DIR,after=DIR]
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { startMosquitto } from '../host/testing/mosquitto.ts';
import { manyBoards } from './fleet-boards.ts';
import { measureSweeps, type SweepFigure } from './fleet-sweep.ts';
import { measureJobCost } from './fleet-job-cost.ts';
import { boardsTable, jobCostTable, sweepTable, type FleetResults } from './report/fleet-section.ts';
import { renderReport } from './report/render.ts';
import { BenchResults } from './results-schema.ts';

const REPO = fileURLToPath(new URL('..', import.meta.url));

const program = new Command('fleet-bench')
  .option('--boards <n>', 'fake boards (0: no fake-board run)', (v) => Number(v), 1000)
  .option('--seconds <s>', 'duration of the fake-board run', (v) => Number(v), 60)
  .option('--hz <f>', 'telemetry rate per fake board', (v) => Number(v), 10)
  .option('--threads <list>', "worker threads of the sweep runs ('' skips the sweeps)", '1,2,4')
  .option('--sweeps <list>', 'sweeps to time, RUNSxSTEPS each (Iris, 4 qubits, 3 layers)', '8x3000,16x300')
  .option('--rounds <n>', 'sweep rounds; each thread count keeps its median', (v) => Number(v), 3)
  .option(
    '--job-cost <list>',
    "the fixed cost per job: sweeps RUNSxSTEPS fitted as c + s·steps in CPU time ('' skips it)",
    '24x30,16x300,4x3000',
  )
  .option('--job-threads <list>', 'worker threads of the job-cost sweeps', '1,2')
  .option('--job-rounds <n>', 'job-cost rounds; each length keeps its median', (v) => Number(v), 2)
  .option(
    '--trees <list>',
    'job cost of other source trees side by side, LABEL=DIR each (e.g. before=/tmp/old,after=.: an old commit exported with git archive, its node_modules and build/ linked)',
    '',
  )
  .option('--procs <n>', 'processes the fake boards are spread over', (v) => Number(v), 4)
  .option('--qos <n>', "QoS of the fake boards' telemetry and the subscription (0 or 1)", (v) => Number(v), 1)
  .option('--autosave <s>', "Mosquitto's autosave_interval (the tests' config saves every second)", (v) => Number(v), 1)
  .option('--out <file>', 'results JSON', join(REPO, 'bench/fleet-results.json'))
  .option(
    '--render <results>',
    'then render docs/benchmarks.md again from this results file of `make bench` and --out (none: skip)',
    join(REPO, 'bench/results.json'),
  )
  .parse();
const o = program.opts<{
  boards: number;
  seconds: number;
  hz: number;
  threads: string;
  sweeps: string;
  procs: number;
  qos: number;
  rounds: number;
  jobCost: string;
  jobThreads: string;
  jobRounds: number;
  trees: string;
  autosave: number;
  out: string;
  render: string;
}>();

/** "8x3000,16x300" → [{runs: 8, steps: 3000}, …]. */
function runsBySteps(list: string, option: string): { runs: number; steps: number }[] {
  return list
    .split(',')
    .filter(Boolean)
    .map((spec) => {
      const [runs, steps] = spec.split('x').map(Number);
      if (!(runs > 0 && steps > 0)) throw new Error(`${option}: '${spec}' is not RUNSxSTEPS`);
      return { runs, steps };
    });
}

const broker = await startMosquitto({ settings: [`autosave_interval ${o.autosave}`] });
try {
  const cores = availableParallelism();
  const uptime = execFileSync('uptime', { encoding: 'utf8' }).trim();
  const startedAt = new Date().toISOString();
  const loadStart = loadavg()[0];
  const counts = o.threads.split(',').filter(Boolean).map(Number);
  const sweeps: { runs: number; steps: number; figures: SweepFigure[] }[] = [];
  for (const { runs, steps } of counts.length > 0 ? runsBySteps(o.sweeps, '--sweeps') : []) {
    sweeps.push({ runs, steps, figures: await measureSweeps(broker, counts, o.rounds, runs, steps, cores) });
  }
  const plan = runsBySteps(o.jobCost, '--job-cost');
  const trees = o.trees
    ? o.trees.split(',').map((t) => {
        const [label, dir] = t.split('=');
        if (!label || !dir) throw new Error(`--trees: '${t}' is not LABEL=DIR`);
        return { label, dir: resolve(dir) };
      })
    : [{ label: 'this-tree', dir: REPO }];
  const jobCost =
    plan.length > 1
      ? await measureJobCost(broker, trees, o.jobThreads.split(',').filter(Boolean).map(Number), plan, o.jobRounds, (l) =>
          process.stderr.write(`${l} (load ${loadavg()[0].toFixed(1)})\n`),
        )
      : [];
  const loadBeforeBoards = loadavg()[0];
  const fleet = o.boards > 0 ? await manyBoards(broker, o.boards, o.hz, o.seconds, o.procs, o.qos === 0 ? 0 : 1) : null;
  const machine = {
    cores,
    cpu: cpus()[0]?.model ?? 'unknown',
    startedAt,
    uptime,
    loadavg1Start: loadStart,
    loadavg1BeforeBoards: loadBeforeBoards,
    loadavg1: loadavg()[0],
  };
  writeFileSync(o.out, `${JSON.stringify({ machine, sweeps, fleet, jobCost } satisfies FleetResults, null, 2)}\n`);
  if (o.render && existsSync(o.render)) {
    const results = BenchResults.parse(JSON.parse(readFileSync(o.render, 'utf8')));
    await renderReport(results, {
      doc: join(REPO, 'docs/benchmarks.md'),
      figures: join(REPO, 'docs/benchmarks'),
      results: relative(REPO, o.render),
      fleet: o.out,
    });
  }
  const r = (x: number) => x.toFixed(1);
  process.stdout.write(
    [
      `Machine: ${machine.cores} cores (${machine.cpu}), load average ${r(machine.loadavg1Start)} at the start, ${r(loadBeforeBoards)} before the fake boards, ${r(machine.loadavg1)} at the end.`,
      '',
      ...sweeps.flatMap((s) => [`Sweep of ${s.runs} runs × ${s.steps} steps:`, '', ...sweepTable(s.figures, cores), '']),
      ...(jobCost.length ? ['Fixed cost per job:', '', ...jobCostTable(jobCost), ''] : []),
      ...(fleet ? boardsTable(fleet, cores) : []),
      '',
    ].join('\n'),
  );
} finally {
  await broker.stop();
}
