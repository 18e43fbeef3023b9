// `qiot experiment … --broker URL`: the experiment's training runs go to the
// fleet's workers as sweep jobs (experiments/fleet-jobs.ts: nlr, local-global), or
// the units of its pool as `task`s (fleet/task-pool.ts: study, deep-plateau, barren-plateau).
// Without --broker, --broker-config or --threads an experiment runs in this process as before.
import { Option, type Command } from 'commander';
import type { FleetJobsContext } from '../experiments/fleet-jobs.ts';
import { FLEET } from '../fleet/limits.ts';
import { FleetTaskPool } from '../fleet/task-pool.ts';
import { defaultWorkerCount, type TaskPool } from '../pool/pool.ts';
import type { TaskKind } from '../pool/task-kinds.ts';
import { QIOT_VERSION } from '../version.ts';
import { moduleBuildPath } from '../wasm/builds.ts';
import { CliError, EXIT } from './exit-codes.ts';
import { addBrokerOptions, BROKER_HELP, fleetAction, parsePositiveInt, type BrokerOptionValues } from './fleet-options.ts';
import { openFleetSession } from './fleet-session.ts';
import { loadImage } from './sim.ts';

export interface ExperimentFleetOptions extends BrokerOptionValues {
  threads?: number;
  wait: number;
}

/** What --help says the fleet does with an experiment's work: nlr's and local-global's traced training runs by default. */
const TRAINING_RUNS_HELP = `Fleet: with --broker, --broker-config or --threads, the training runs are handed to the workers (\`qiot worker\`)
of the broker as sweep jobs, in parallel; each returns its telemetry and θ after every step, and the exact losses
are evaluated here from those θ: the result files equal a local run's (docs/fleet.md, "Experiments on the fleet").
Boards are not used (a board reports no θ between steps).`;

/** The same for an experiment whose pool units (`unit`) go to the workers as tasks. */
export const taskPoolHelp = (unit: string) => `Fleet: with --broker, --broker-config or --threads, every ${unit}
is a task for the workers (\`qiot worker\`) of the broker instead of this process's worker threads (--workers):
the worker runs it with the same code and returns its result exactly, so the result files equal a local run's
(docs/fleet.md, "Experiments on the fleet"). Boards are not used (they run no host code).`;

export function addFleetOptions(cmd: Command, help: string = TRAINING_RUNS_HELP): Command {
  return addBrokerOptions(cmd)
    .addOption(
      new Option(
        '--threads <n>',
        'run through the fleet with this many worker threads in this process (without --broker: on the embedded broker)',
      ).argParser(parsePositiveInt),
    )
    .option(
      '--wait <seconds>',
      'with the fleet: give up (exit 3) when no worker takes a run for this long',
      parsePositiveInt,
      FLEET.sweepWaitS,
    )
    .addHelpText(
      'after',
      `
${help}
Without these options the experiment runs in this process ($QIOT_BROKER alone does not send it to the fleet;
with --threads it names the broker to use).
${BROKER_HELP}`,
    );
}

export const wantsFleet = (o: ExperimentFleetOptions) => Boolean(o.broker || o.brokerConfig || o.threads !== undefined);

/** `body` with the fleet the options ask for (open for the body's duration), or undefined: this process runs the jobs. */
export async function withFleet<T>(o: ExperimentFleetOptions, body: (fleet: FleetJobsContext | undefined) => Promise<T>): Promise<T> {
  if (!wantsFleet(o)) return body(undefined);
  return fleetAction(async () => {
    const image = await loadImage(moduleBuildPath('device'));
    const fleet = await openFleetSession(o, image, 'experiment');
    try {
      return await body({
        client: fleet.client,
        moduleSha256: image.sha256,
        qiotVersion: QIOT_VERSION,
        signal: fleet.signal,
        waitMs: o.wait * 1000,
        onNote: (text) => process.stderr.write(`\nqiot: ${text}\n`),
      });
    } finally {
      await fleet.close();
    }
  });
}

/** --workers: this process's threads (the result records it); with the fleet, --threads (0: the workers are elsewhere). */
export function workerCount(o: { workers?: number } & ExperimentFleetOptions): number {
  if (!wantsFleet(o)) return o.workers ?? defaultWorkerCount();
  if (o.workers !== undefined)
    throw new CliError("--workers sets this process's worker threads; with the fleet, use --threads (or start `qiot worker`)", EXIT.usage);
  return o.threads ?? 0;
}

/**
 * `body` with the pool of `kind` the options ask for: the fleet's (its units as `task`s to the workers, named
 * by `label` in messages), or undefined: the experiment's own worker threads.
 */
export async function withTaskPool<TIn, TOut, R>(
  o: ExperimentFleetOptions,
  kind: TaskKind,
  label: (task: TIn) => string,
  body: (pool: TaskPool<TIn, TOut> | undefined) => Promise<R>,
): Promise<R> {
  return withFleet(o, async (fleet) => {
    if (!fleet) return body(undefined);
    const { client, qiotVersion, signal, waitMs, onNote } = fleet;
    const pool = new FleetTaskPool<TIn, TOut>({ client, kind, qiotVersion, signal, waitMs, onNote, label });
    try {
      return await body(pool);
    } finally {
      await pool.close();
    }
  });
}
