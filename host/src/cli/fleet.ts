// qiot-command: 200 fleet — the boards and workers on the MQTT broker: ls, info, flash, train, stop, monitor, params, reset, rollback, confirm
// `qiot fleet ls | info | flash | train | stop | monitor | params | reset | rollback | confirm`: the boards and workers
// online on the broker (docs/fleet.md), selected by id, target or tag.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../config/load.ts';
import { FleetClient } from '../fleet/client.ts';
import { FLEET } from '../fleet/limits.ts';
import type { OnlineStatus, Status } from '../fleet/messages.ts';
import { RemoteTarget } from '../fleet/remote-target.ts';
import { RunLogWriter } from '../runlog/writer.ts';
import { runTraining } from '../train/run.ts';
import { stepRecordFromTelemetry } from '../train/step-record.ts';
import { summaryLine } from '../ui/progress.ts';
import { addAllowSlowOption, checkRunCost } from './allow-slow.ts';
import { CliError, EXIT, exitCodesHelp } from './exit-codes.ts';
import { addBrokerOptions, BROKER_HELP, fleetAction, untilSignal, type BrokerOptionValues } from './fleet-options.ts';
import { brokerSettings } from '../fleet/broker.ts';
import { readTheta } from './params.ts';
import { interruptSignal } from './run-session.ts';
import { QIOT_VERSION } from '../version.ts';
import { addFleetFlashOptions, FLEET_KEY_HELP, flashOne, presignedManifest, sealerOf, type FleetFlashOptions } from './fleet-auth.ts';
import { addKeyOption, type KeyOptionValues } from './key-option.ts';

interface SelectOptions extends BrokerOptionValues {
  target?: string;
  tag?: string;
  json?: boolean;
}

/** The fleet commands only join a broker: without one configured, the embedded broker's address. */
async function connect(opts: BrokerOptionValues): Promise<FleetClient> {
  const settings = brokerSettings(opts) ?? { url: `mqtt://127.0.0.1:${process.env.QIOT_EMBEDDED_PORT ?? FLEET.embeddedPort}` };
  return FleetClient.connect(settings, 'fleet');
}

const kindOf = (s: OnlineStatus) => (s.target.kind === 'board' ? s.target.board : 'worker');

/** Executors named by `ids`, else those matching --target/--tag, else every online one. Unknown ids are usage errors. */
function select(statuses: Status[], ids: string[], opts: SelectOptions): OnlineStatus[] {
  const known = new Map(statuses.map((s) => [s.id, s]));
  for (const id of ids) {
    const s = known.get(id);
    if (!s)
      throw new CliError(
        `unknown board id '${id}'${known.size > 0 ? `; known: ${[...known.keys()].join(', ')}` : ': no board or worker has ever announced itself on this broker'}`,
        EXIT.usage,
      );
    if (s.state === 'offline') throw new CliError(`${id} is offline (${s.reason})`, EXIT.device);
  }
  return statuses.filter(
    (s): s is OnlineStatus =>
      s.state === 'online' &&
      (ids.length > 0 ? ids.includes(s.id) : (!opts.target || kindOf(s) === opts.target) && (!opts.tag || s.tags.includes(opts.tag))),
  );
}

function addSelect(cmd: Command): Command {
  return addBrokerOptions(cmd)
    .option('--target <kind>', 'only boards of this kind (posix, rv32, esp32 …) or worker')
    .option('--tag <tag>', 'only executors with this tag');
}

async function withFleet<T>(opts: BrokerOptionValues, body: (client: FleetClient, statuses: Status[]) => Promise<T>): Promise<T> {
  const client = await connect(opts);
  try {
    return await body(client, await client.discover());
  } finally {
    await client.close();
  }
}

/** The action of an op without arguments: sent to each selected executor in turn (sealed with --key for a
 *  provisioned board), one line per answer. */
function toEach(op: 'stop' | 'reset' | 'rollback' | 'confirm', line: (r: Record<string, unknown>) => string, timeoutMs?: number) {
  return (ids: string[], opts: SelectOptions & KeyOptionValues) =>
    fleetAction(() =>
      withFleet(opts, async (client, statuses) => {
        const sealer = sealerOf(client, opts);
        for (const s of select(statuses, ids, opts)) {
          const r = await client.call(s.id, op, {}, timeoutMs, await sealer?.auth(s.id, op, {}));
          process.stdout.write(`${s.id}: ${line(r)}\n`);
        }
      }),
    );
}

function ls(statuses: Status[], opts: SelectOptions): void {
  if (opts.json) return void process.stdout.write(`${JSON.stringify(statuses)}\n`);
  if (statuses.length === 0) return void process.stdout.write('no boards or workers on this broker\n');
  for (const s of statuses) {
    if (s.state === 'offline') process.stdout.write(`${s.id}  offline (${s.reason})\n`);
    else {
      const module = s.module_sha256 ? s.module_sha256.slice(0, 12) : 'no module';
      process.stdout.write(
        `${s.id}  ${kindOf(s)}${s.provisioned ? ' (provisioned: --key)' : ''}  ${s.host}  ${module}  ${s.busy ? `busy ${s.busy}` : 'idle'}${s.tags.length ? `  [${s.tags.join(',')}]` : ''}${s.dropped ? `  ${s.dropped} telemetry dropped` : ''}\n`,
      );
    }
  }
}

export function register(program: Command): void {
  const fleet = program
    .command('fleet')
    .description('the boards and workers on the MQTT broker: ls, info, flash, train, stop, monitor, params, reset, rollback, confirm')
    .addHelpText('after', BROKER_HELP);

  addSelect(fleet.command('ls').description('list boards and workers (online and offline)'))
    .option('--json', 'one JSON array of status messages')
    .addHelpText(
      'after',
      exitCodesHelp({
        0: 'listed (also an empty fleet)',
        2: 'bad usage or broker config',
        3: 'the broker unreachable or refusing the connection',
      }),
    )
    .action((opts: SelectOptions) =>
      fleetAction(() =>
        withFleet(opts, async (_c, statuses) =>
          ls(
            statuses.filter((s) => s.state === 'offline' || select([s], [], opts).length > 0),
            opts,
          ),
        ),
      ),
    );

  addSelect(fleet.command('info').argument('[ids...]').description('details of each selected board (its INFO) or worker'))
    .addHelpText(
      'after',
      exitCodesHelp({
        0: 'shown',
        1: 'an executor failed to answer INFO',
        2: 'bad usage or an unknown id',
        3: 'the broker unreachable, a selected id offline, or an executor not answering',
      }),
    )
    .action((ids: string[], opts: SelectOptions) =>
      fleetAction(() =>
        withFleet(opts, async (client, statuses) => {
          for (const s of select(statuses, ids, opts)) process.stdout.write(`${JSON.stringify(await client.call(s.id, 'info', {}))}\n`);
        }),
      ),
    );

  addFleetFlashOptions(
    addSelect(
      fleet
        .command('flash')
        .argument('<module>')
        .argument('[ids...]')
        .description('upload a module to each selected board or worker (in parallel)'),
    ),
  )
    .addHelpText('after', FLEET_KEY_HELP)
    .addHelpText(
      'after',
      exitCodesHelp({
        0: 'flashed on every selected executor',
        1: "some executor refused the module or failed (each one's result is printed; a provisioned board: SIGNATURE, UNAUTHENTICATED, ROLLBACK …, its previous module stays)",
        2: 'bad usage, an unreadable module, key or signature file, a signature for other bytes, or an unknown id',
        3: 'the broker unreachable or a selected id offline',
      }),
    )
    .action((modulePath: string, ids: string[], opts: SelectOptions & FleetFlashOptions) =>
      fleetAction(() =>
        withFleet(opts, async (client, statuses) => {
          let bytes: Buffer;
          try {
            bytes = readFileSync(modulePath);
          } catch (err) {
            throw new CliError(`cannot read module ${modulePath}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, EXIT.usage);
          }
          const presigned = await presignedManifest(opts, bytes);
          const targets = select(statuses, ids, opts);
          const results = await Promise.allSettled(targets.map((s) => flashOne(client, s.id, bytes, opts, presigned)));
          results.forEach((r, i) => {
            process.stdout.write(
              `${targets[i].id}: ${r.status === 'fulfilled' ? `flashed ${String(r.value.sha256).slice(0, 12)}` : `FAILED ${(r.reason as Error).message}`}\n`,
            );
          });
          if (results.some((r) => r.status === 'rejected')) process.exitCode = EXIT.failed;
        }),
      ),
    );

  addKeyOption(
    addSelect(fleet.command('stop').argument('[ids...]').description('stop the run in progress on each selected board or worker')),
  )
    .addHelpText('after', FLEET_KEY_HELP)
    .addHelpText(
      'after',
      exitCodesHelp({
        0: 'stopping or already idle',
        1: 'an executor refused or failed (a provisioned board without the right --key: UNAUTHENTICATED)',
        2: 'bad usage or an unknown id',
        3: 'the broker unreachable, a selected id offline, or an executor not answering',
      }),
    )
    .action(toEach('stop', (r) => (r.stopping ? `stopping ${String(r.stopping)}` : 'idle')));

  const params = fleet
    .command('params')
    .description('read or write θ on boards of the fleet (PARAMS_READ/WRITE by their gateway; `qiot params` over serial)');
  addSelect(params.command('get').argument('[ids...]').description('print θ of each selected board as its last run left it'))
    .option('--json', 'one JSON object {id, count, params} per board')
    .addHelpText(
      'after',
      '\nExit codes: 0 ok, 1 a board refused (BAD_STATE: no run since its module was loaded; busy), 2 unknown id or a worker, 3 unreachable.',
    )
    .action((ids: string[], opts: SelectOptions) =>
      fleetAction(() =>
        withFleet(opts, async (client, statuses) => {
          for (const s of select(statuses, ids, opts)) {
            const r = await client.call(s.id, 'params_get', {});
            const theta = r.params as number[];
            process.stdout.write(
              opts.json
                ? `${JSON.stringify({ id: s.id, count: theta.length, params: theta })}\n`
                : theta.map((value, i) => `${s.id} θ[${i}] = ${value}\n`).join(''),
            );
          }
        }),
      ),
    );
  addKeyOption(
    addSelect(
      params
        .command('set')
        .argument('<file>', 'JSON array of numbers, the output of `params get --json`, or a run log with θ in its summary')
        .argument('[ids...]')
        .description('write θ to each selected idle board'),
    ),
  )
    .addHelpText('after', FLEET_KEY_HELP)
    .addHelpText(
      'after',
      '\nExit codes: 0 written, 1 a board refused (wrong count, training, no run yet, UNAUTHENTICATED), 2 bad file, unknown id or a worker, 3 unreachable.',
    )
    .action((file: string, ids: string[], opts: SelectOptions & KeyOptionValues) =>
      fleetAction(async () => {
        const theta = await readTheta(file);
        await withFleet(opts, async (client, statuses) => {
          const sealer = sealerOf(client, opts);
          for (const s of select(statuses, ids, opts)) {
            const args = { params: theta };
            await client.call(s.id, 'params_set', args, undefined, await sealer?.auth(s.id, 'params_set', args));
            process.stdout.write(`${s.id}: wrote ${theta.length} parameters\n`);
          }
        });
      }),
    );

  addKeyOption(
    addSelect(
      fleet
        .command('reset')
        .argument('[ids...]')
        .description('restart each selected idle board (its module stays active; the gateway connects to it again)'),
    ),
  )
    .addHelpText('after', FLEET_KEY_HELP)
    .addHelpText('after', '\nExit codes: 0 ok, 1 a board refused or is busy, 2 unknown id or a worker, 3 unreachable.')
    .action(toEach('reset', () => 'reset', FLEET.resetTimeoutMs));

  for (const [op, description, done] of [
    ['rollback', 'make the previous module (the other slot) active again on each selected idle board', 'rolled back to'],
    ['confirm', 'end the trial of the active module on each selected board: a reset no longer reverts it', 'confirmed'],
  ] as const) {
    addKeyOption(addSelect(fleet.command(op).argument('[ids...]').description(description)))
      .addHelpText('after', FLEET_KEY_HELP)
      .addHelpText(
        'after',
        exitCodesHelp({
          0: `${done} on every selected board`,
          1: `a board refused (${op === 'rollback' ? 'no previous module, ROLLBACK: unsigned or below the floor, ' : ''}UNAUTHENTICATED) or is busy`,
          2: 'bad usage, an unknown id or a worker',
          3: 'the broker unreachable, a selected id offline, or an executor not answering',
        }),
      )
      .action(toEach(op, (r) => `${done} ${String(r.sha256).slice(0, 12)}`));
  }

  addKeyOption(
    addAllowSlowOption(
      addSelect(
        fleet
          .command('train')
          .argument('[ids...]')
          .description('run one config on each selected board or worker at once, one run log each'),
      ),
    ),
  )
    .requiredOption('-c, --config <file>', 'run config (JSON)')
    .requiredOption('-o, --out <dir>', 'folder for <id>.jsonl per executor')
    .addHelpText('after', FLEET_KEY_HELP)
    .addHelpText(
      'after',
      exitCodesHelp({
        0: 'every run completed or exhausted its budget',
        1: 'some run failed (numeric, trap, device error) or an executor was busy',
        2: 'bad usage, an invalid config or one over the step-cost bound (--allow-slow), an unknown id, a config or module an executor refused, or a run log that cannot be written',
        3: 'the broker unreachable, no online executor matching, a selected id offline, or an executor not answering',
        130: 'interrupted by Ctrl-C (each run stopped, its log kept)',
      }),
    )
    .action((ids: string[], opts: SelectOptions & KeyOptionValues & { config: string; out: string; allowSlow?: boolean }) =>
      fleetAction(() => {
        // Before the broker: a config over the step-cost bound is a usage error (exit 2).
        const cfg = loadConfig(opts.config);
        checkRunCost(cfg, opts.config, opts.allowSlow);
        return withFleet(opts, async (client, statuses) => {
          const targets = select(statuses, ids, opts);
          if (targets.length === 0) throw new CliError('no online board or worker matches', EXIT.device);
          await client.watchTelemetry();
          const interrupt = interruptSignal();
          try {
            const results = await Promise.all(
              targets.map(async (s) => {
                const writer = new RunLogWriter(join(opts.out, `${s.id}.jsonl`));
                try {
                  const r = await runTraining(new RemoteTarget(client, s.id, { sealer: sealerOf(client, opts) }), cfg, {
                    qiotVersion: QIOT_VERSION,
                    sinks: [(rec) => writer.write(rec)],
                    signal: interrupt.signal,
                  });
                  process.stdout.write(`${s.id}: ${summaryLine(r.summary)}\n`);
                  return r.summary.status;
                } finally {
                  writer.close();
                }
              }),
            );
            if (interrupt.signal.aborted) process.exitCode = EXIT.interrupted;
            else if (results.some((st) => !['completed', 'budget_exhausted'].includes(st))) process.exitCode = EXIT.failed;
          } finally {
            interrupt.dispose();
          }
        });
      }),
    );

  addSelect(
    fleet
      .command('monitor')
      .argument('[ids...]')
      .description('follow status changes, telemetry and log lines of the selected executors until Ctrl-C'),
  )
    .option('--json', 'one JSON object per event')
    .addHelpText(
      'after',
      exitCodesHelp({
        0: 'stopped by Ctrl-C or SIGTERM',
        2: 'bad usage or broker config',
        3: 'the broker unreachable or refusing the connection',
      }),
    )
    .action((ids: string[], opts: SelectOptions) =>
      fleetAction(async () => {
        const client = await connect(opts);
        const wanted = (id: string) =>
          (ids.length === 0 || ids.includes(id)) &&
          (!opts.target && !opts.tag
            ? true
            : select(
                [...client.statuses.values()].filter((s) => s.id === id),
                [],
                opts,
              ).length > 0);
        const out = (event: Record<string, unknown>, text: string) =>
          process.stdout.write(opts.json ? `${JSON.stringify(event)}\n` : `${text}\n`);
        client.onStatus(
          (s) =>
            wanted(s.id) &&
            out(
              { type: 'status', ...s },
              `${s.id}: ${s.state}${s.state === 'online' ? (s.busy ? ` busy ${s.busy}` : ' idle') : ` (${s.reason})`}`,
            ),
        );
        client.onTelemetry((id, t) => {
          if (!wanted(id)) return;
          const r = stepRecordFromTelemetry(t.raw, t.stepUs);
          out(
            { ...r, type: 'telemetry', id, seq: t.seq, tag: t.tag },
            `${id}: #${t.seq} step ${r.step} loss ${r.loss ?? 'NaN'} ${r.phase}`,
          );
        });
        client.onLog((id, line) => wanted(id) && out({ type: 'log', id, line }, `${id}: ${line}`));
        await client.watchTelemetry();
        await client.watchLogs();
        await untilSignal();
        await client.close();
      }),
    );
}
