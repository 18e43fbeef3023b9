// qiot-command: 180 worker — virtual boards: run the module in worker threads for the fleet (one executor per thread)
// `qiot worker`: virtual boards — the module in Node worker threads, one
// executor per thread on the broker — so sweeps use every core of every host.
import type { Command } from 'commander';
import { availableParallelism } from 'node:os';
import { ThreadBackend } from '../fleet/backends.ts';
import { Executor } from '../fleet/executor.ts';
import { TaskThreads } from '../fleet/task-threads.ts';
import { createRunPool } from '../fleet/thread-target.ts';
import { checkId } from '../fleet/topics.ts';
import { DEFAULT_MODULE_PATH } from '../wasm/module.ts';
import { EXIT, exitCodesHelp } from './exit-codes.ts';
import {
  addBrokerOptions,
  BROKER_HELP,
  defaultIdPrefix,
  fleetAction,
  openBroker,
  parsePositiveInt,
  untilSignal,
  type BrokerOptionValues,
} from './fleet-options.ts';
import { loadImage } from './sim.ts';

interface WorkerOptions extends BrokerOptionValues {
  threads: number;
  module: string;
  idPrefix: string;
  tag: string[];
}

export function register(program: Command): void {
  addBrokerOptions(
    program.command('worker').description('virtual boards: run the module in worker threads for the fleet (one executor per thread)'),
  )
    .option('--threads <n>', 'worker threads = virtual boards (default: every core)', parsePositiveInt, availableParallelism())
    .option('-m, --module <path>', 'module the virtual boards run (`qiot fleet flash` replaces it)', DEFAULT_MODULE_PATH)
    .option('--id-prefix <name>', 'executor ids are <prefix>-worker-<i> (stable across restarts)', defaultIdPrefix())
    .option('--tag <tag...>', 'tags shown in `qiot fleet ls` and usable as filters', [])
    .addHelpText(
      'after',
      `
Each virtual board also runs the pool tasks of \`qiot experiment … --broker\` (e.g. study, deep-plateau; the
kinds are announced in its status, docs/fleet.md: the \`task\` op), one at a time, in task threads started on
the first task.
Runs until Ctrl-C (exit 0): each virtual board then publishes its offline status.
Examples:
  qiot worker --threads 4
  qiot worker --broker mqtt://lab-broker:1883 --id-prefix lab2
${BROKER_HELP}`,
    )
    .addHelpText(
      'after',
      exitCodesHelp({
        0: 'stopped by Ctrl-C or SIGTERM',
        2: 'bad usage (e.g. a bad --id-prefix), an unreadable or invalid --module, or a bad broker URL or config file',
        3: 'the broker unreachable or refusing the connection',
      }),
    )
    .action(async (opts: WorkerOptions) => {
      process.exitCode = await fleetAction(() => worker(opts));
    });
}

async function worker(opts: WorkerOptions): Promise<number> {
  for (const [i] of Array.from({ length: opts.threads }).entries()) checkId(`${opts.idPrefix}-worker-${i}`, '--id-prefix');
  const image = await loadImage(opts.module);
  const { settings, embedded } = await openBroker(opts);
  const pool = createRunPool(opts.threads);
  const tasks = new TaskThreads(opts.threads);
  const executors: Executor[] = [];
  try {
    for (let i = 0; i < opts.threads; i++) {
      executors.push(
        await Executor.start(settings, new ThreadBackend(pool, image, tasks), { id: `${opts.idPrefix}-worker-${i}`, tags: opts.tag }),
      );
    }
    process.stderr.write(`qiot: ${executors.length} virtual board(s) online: ${executors.map((e) => e.id).join(', ')}\n`);
    await untilSignal();
    return EXIT.ok;
  } finally {
    await Promise.allSettled(executors.map((e) => e.close()));
    await pool.close();
    await tasks.close();
    await embedded?.close();
  }
}
