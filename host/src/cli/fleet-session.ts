// The fleet side of a command that hands runs to executors (`qiot sweep`,
// `qiot experiment … --broker`): the broker (--broker/--broker-config/environment,
// else the embedded one, joined or started), `--threads` worker threads of this
// process as executors, a persistent FleetClient following telemetry, and Ctrl-C.
import { setMaxListeners } from 'node:events';
import { availableParallelism } from 'node:os';
import { ThreadBackend } from '../fleet/backends.ts';
import { FleetClient } from '../fleet/client.ts';
import { Executor } from '../fleet/executor.ts';
import { TaskThreads } from '../fleet/task-threads.ts';
import { createRunPool } from '../fleet/thread-target.ts';
import type { ModuleImage } from '../train/module-target.ts';
import { defaultIdPrefix, openBroker, type BrokerOptionValues } from './fleet-options.ts';
import { interruptSignal } from './run-session.ts';

export interface FleetSessionOptions extends BrokerOptionValues {
  /** Worker threads in this process (default: every core without a broker, none with one). */
  threads?: number;
}

export interface FleetSession {
  client: FleetClient;
  /** Aborted by the first Ctrl-C / SIGTERM. */
  signal: AbortSignal;
  close(): Promise<void>;
}

/** A broker was named (option, environment or config file): the executors are elsewhere. */
export function brokerGiven(opts: BrokerOptionValues): boolean {
  return Boolean(opts.broker || process.env.QIOT_BROKER || opts.brokerConfig || process.env.QIOT_BROKER_CONFIG);
}

export async function openFleetSession(opts: FleetSessionOptions, image: ModuleImage, role: string): Promise<FleetSession> {
  const { settings, embedded } = await openBroker(opts);
  const threads = opts.threads ?? (brokerGiven(opts) ? 0 : availableParallelism());
  const pool = threads > 0 ? createRunPool(threads) : null;
  const tasks = threads > 0 ? new TaskThreads(threads) : null;
  const locals: Executor[] = [];
  const interrupt = interruptSignal();
  // Every run in flight listens to it (runTraining stops its target): a fleet has more than Node's default 10.
  setMaxListeners(0, interrupt.signal);
  let client: FleetClient | null = null;
  const close = async () => {
    interrupt.dispose();
    await client?.close();
    await Promise.allSettled(locals.map((e) => e.close()));
    await pool?.close();
    await tasks?.close();
    await embedded?.close();
  };
  try {
    for (let i = 0; i < threads; i++) {
      locals.push(
        await Executor.start(settings, new ThreadBackend(pool!, image, tasks!), {
          id: `${defaultIdPrefix()}-${role}${process.pid}-${i}`,
          tags: [`${role}-local`],
        }),
      );
    }
    client = await FleetClient.connect(settings, role, { persistent: true });
    await client.watchTelemetry();
  } catch (err) {
    await close();
    throw err;
  }
  return { client, signal: interrupt.signal, close };
}
