// qiot-command: 190 sweep — run a grid of configs × seeds × optimizers on every board and worker of the fleet, one run log per run
// `qiot sweep CONFIG --seeds 1..50 --optimizers nlr,sgd --set key=v1,v2 --out DIR`:
// one run per grid point on whatever boards and workers are online (docs/fleet.md),
// one complete run log per finished run plus DIR/index.jsonl; --resume runs only
// the missing ones. Without --broker it starts the embedded broker and a worker
// thread per core in this process: one command sweeps on every core.
import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { ConfigError } from '../config/errors.ts';
import { parseJsonText } from '../config/load.ts';
import { OPTIMIZER_NAMES } from '../config/schema.ts';
import { FLEET } from '../fleet/limits.ts';
import { expandSweep, parseSeeds, parseSet } from '../fleet/sweep-grid.ts';
import { SweepOutput } from '../fleet/sweep-output.ts';
import { runSweep } from '../fleet/sweep-run.ts';
import { CommandSealer } from '../fleet/auth.ts';
import { DEFAULT_MODULE_PATH } from '../wasm/module.ts';
import { addAllowSlowOption, checkRunCost } from './allow-slow.ts';
import { EXIT } from './exit-codes.ts';
import { addBrokerOptions, BROKER_HELP, fleetAction, parsePositiveInt, type BrokerOptionValues } from './fleet-options.ts';
import { openFleetSession } from './fleet-session.ts';
import { addKeyOption, type KeyOptionValues } from './key-option.ts';
import { loadImage, parseOptimizerList } from './sim.ts';
import { QIOT_VERSION } from '../version.ts';

interface SweepOptions extends BrokerOptionValues, KeyOptionValues {
  seeds?: string;
  optimizers?: string;
  set: string[];
  out: string;
  resume?: boolean;
  threads?: number;
  module: string;
  wait: number;
  allowSlow?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function register(program: Command): void {
  addKeyOption(
    addAllowSlowOption(
      addBrokerOptions(
        program
          .command('sweep')
          .argument('<config>', 'base run config (JSON)')
          .description('run a grid of configs × seeds × optimizers on every board and worker of the fleet, one run log per run'),
      ),
    ),
    'authenticates the runs on provisioned boards (workers and open boards need none)',
  )
    .option('--seeds <list>', "seeds: 1..50, 1,4,9 or 1..3,10 (default: the config's seed)")
    .option('--optimizers <list>', `optimizers (${OPTIMIZER_NAMES.join(',')}; default: the config's)`)
    .option(
      '--set <key=v1,v2>',
      'vary a config field (dotted path, e.g. optimizer.lr=0.1,0.3); repeatable: every combination runs',
      collect,
      [],
    )
    .requiredOption('-o, --out <dir>', 'output folder: <run-id>.jsonl per finished run and index.jsonl')
    .option('--resume', 'the folder already holds runs of this sweep: run only the missing ones')
    .addOption(
      new Option('--threads <n>', 'worker threads started in this process (default: every core without --broker, none with it)').argParser(
        parsePositiveInt,
      ),
    )
    .option('-m, --module <path>', 'module the runs use; executors running another module are not used', DEFAULT_MODULE_PATH)
    .option('--wait <seconds>', 'give up (exit 3) when no executor takes a run for this long', parsePositiveInt, FLEET.sweepWaitS)
    .addHelpText(
      'after',
      `
Examples:
  qiot sweep examples/iris-nlr.json --seeds 1..50 --optimizers nlr,sgd,adam --out runs/sweep
  qiot sweep examples/iris-nlr.json --seeds 1..10 --set optimizer.lr=0.1,0.3 --broker mqtt://lab:1883 --out runs/lr
  qiot sweep examples/iris-nlr.json --seeds 1..50 --out runs/sweep --resume      # after Ctrl-C

Ctrl-C stops the running runs; every finished run stays in --out, and --resume runs only the missing ones.
A run whose estimated step cost is over the bound (as for qiot train) is refused before anything starts, unless --allow-slow.
Provisioned boards (qiot provision) take runs only with their owner's --key (or $QIOT_KEY): the key stays in this
process, each run's commands are sealed here for the board's nonce (docs/fleet.md "Security end to end"). Without a
key the sweep leaves them out and says so; a board that refuses the key is left out, its run goes elsewhere.
Exit codes: 0 all runs done, 1 some run failed, or boards refused the key and no other executor could take the runs,
2 bad usage or config, 3 broker or executors unreachable (or none usable: e.g. only provisioned boards and no key), 130 interrupted.
${BROKER_HELP}`,
    )
    .action(async (config: string, opts: SweepOptions) => {
      process.exitCode = await fleetAction(() => sweep(config, opts));
    });
}

function readRaw(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(path, [{ field: '', message: `cannot read the file: ${(err as NodeJS.ErrnoException).code ?? String(err)}` }]);
  }
  return parseJsonText(text, path);
}

async function sweep(configPath: string, opts: SweepOptions): Promise<number> {
  const raw = readRaw(configPath);
  const runs = expandSweep(raw, configPath, {
    seeds: opts.seeds !== undefined ? parseSeeds(opts.seeds) : [(raw as { seed?: number }).seed ?? 1],
    optimizers: opts.optimizers !== undefined ? parseOptimizerList(opts.optimizers) : undefined,
    sets: opts.set.map(parseSet),
  });
  for (const run of runs) checkRunCost(run.config, `${configPath} (run ${run.id})`, opts.allowSlow);
  const output = new SweepOutput(opts.out, runs, opts.resume ?? false);
  const missing = runs.length - output.finished;
  process.stderr.write(`qiot: sweep of ${runs.length} run(s), ${output.finished} already in ${opts.out}, ${missing} to run\n`);
  if (missing === 0) return EXIT.ok;
  const image = await loadImage(opts.module);
  const fleet = await openFleetSession(opts, image, 'sweep');
  try {
    const result = await runSweep({
      client: fleet.client,
      runs,
      output,
      moduleSha256: image.sha256,
      qiotVersion: QIOT_VERSION,
      signal: fleet.signal,
      waitMs: opts.wait * 1000,
      ...(opts.key ? { sealer: new CommandSealer(fleet.client, opts.key) } : {}),
      onRunEnd: (e, done, total) =>
        process.stderr.write(
          `[${done}/${total}] ${e.run_id}: ${e.status}, last mini-batch loss ${e.final_loss ?? '—'} (${e.executor})${e.error ? ` — ${e.error}` : ''}\n`,
        ),
      onNote: (text) => process.stderr.write(`qiot: ${text}\n`),
    });
    const by = [...result.runsByExecutor].map(([id, n]) => `${id} ${n}`).join(', ');
    process.stderr.write(
      `qiot: ${output.finished}/${runs.length} run(s) in ${opts.out} (${result.completed} completed, ${result.failed} failed this time${result.requeued ? `, ${result.requeued} re-queued` : ''})${by ? `; runs per executor: ${by}` : ''}\n`,
    );
    if (result.interrupted) return EXIT.interrupted;
    return result.failed > 0 ? EXIT.failed : EXIT.ok;
  } finally {
    await fleet.close();
  }
}
