// `qiot experiment … --broker URL`: the experiment's training runs go to the
// fleet's workers as sweep jobs (experiments/fleet-jobs.ts). Without --broker,
// --broker-config or --threads an experiment runs in this process as before.
// Experiments whose work is not a training run refuse the options (exit 2).
import { Option, type Command } from 'commander';
import type { FleetJobsContext } from '../experiments/fleet-jobs.ts';
import { FLEET } from '../fleet/limits.ts';
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

export function addFleetOptions(cmd: Command): Command {
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
Fleet: with --broker, --broker-config or --threads, the training runs are handed to the workers (\`qiot worker\`)
of the broker as sweep jobs, in parallel; each returns its telemetry and θ after every step, and the exact losses
are evaluated here from those θ: the result files equal a local run's (docs/fleet.md, "Experiments on the fleet").
Boards are not used (a board reports no θ between steps). Without these options the experiment runs in this
process ($QIOT_BROKER alone does not send it to the fleet; with --threads it names the broker to use).
${BROKER_HELP}`,
    );
}

const wantsFleet = (o: ExperimentFleetOptions) => Boolean(o.broker || o.brokerConfig || o.threads !== undefined);

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

/** The fleet options on an experiment that cannot use them: accepted by the parser, refused with the reason (exit 2). */
export function refuseFleetOptions(cmd: Command, why: string): void {
  cmd
    .addOption(new Option('--broker <url>', `not available: ${why}`))
    .addOption(new Option('--broker-config <file>').hideHelp())
    .hook('preAction', (self) => {
      const o = self.opts<ExperimentFleetOptions>();
      if (wantsFleet(o)) throw new CliError(`qiot experiment ${self.name()} cannot run through the fleet (--broker): ${why}`, EXIT.usage);
    });
}
