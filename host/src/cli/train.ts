// qiot-command: 50 train — train on a board (flash a module first); same config, flags and run log as `qiot sim`
// `qiot train --port P --config FILE`: the same run as `qiot sim` (config, flags,
// run log), but on a board: CONFIG + DATASET, TRAIN_START, TELEMETRY…, DONE.
// Ctrl-C sends TRAIN_STOP; the run log still gets its summary (exit 130).
import type { Command } from 'commander';
import { loadConfig } from '../config/load.ts';
import { checkStepCost } from '../config/step-cost.ts';
import { loadDataset } from '../data/load.ts';
import { BoardTarget } from '../device/board-target.ts';
import { DeviceClient } from '../device/client.ts';
import { addPortOptions, boardPortOptions, portOf, type PortOptionValues } from './port-options.ts';
import { addKeyOption, keyConnectOptions, type KeyOptionValues } from './key-option.ts';
import { addRunOptions, configPathOf, matchedPerturbOf, overridesOf, resumePlanOf, type RunOptionValues } from './run-options.ts';
import { exitCodeOfStatus, interruptSignal, runSession } from './run-session.ts';
import { EXIT, exitCodeOf } from './exit-codes.ts';
import { runLogPathOf } from '../runlog/paths.ts';
import { MONITOR_OPTION_HELP, monitorBoard } from './watch.ts';

interface TrainOptions extends RunOptionValues, PortOptionValues, KeyOptionValues {
  allowSlow?: boolean;
  monitor?: boolean;
}

export function register(program: Command): void {
  const cmd = addKeyOption(addPortOptions(program.command('train'))).description(
    'train on a board (flash a module first); same config, flags and run log as `qiot sim`',
  );
  addRunOptions(cmd)
    .option('--monitor', MONITOR_OPTION_HELP)
    .option('--allow-slow', 'run a config whose estimated step cost is over the bound (host/src/config/step-cost.ts)')
    .addHelpText(
      'after',
      `
Examples:
  qiot train --port /dev/pts/3 --config examples/iris-nlr.json --out runs/iris-board.jsonl
  qiot train --port /dev/pts/3 --resume runs/iris-board.jsonl   # after Ctrl-C or a lost link

--resume needs the module the run used (same sha256); the board recomputes the logged
steps (checked bit for bit against the log, at the board's own speed) and goes on.

On a board --steps 0 means: train until Ctrl-C or the shot budget.
A config whose one step is estimated at more than 2^31 amplitude updates (about a minute
per step on the posix board) is refused, naming the estimate, unless --allow-slow.
With --monitor the command stays on the board after the run (Ctrl-C or q ends it) and exits with the run's code.
A board that restarts during the run (watchdog, crash, power) is noticed within about 10 s of quiet
(a STATUS probe; docs/device-client.md): the run fails naming the reset cause, its run log keeps every
record received and ends with a failed summary.
Exit codes: 0 done, 1 run failed (trap, numeric, device error, the board restarted during the run) or a resumed run's recomputed step differs from its log, 2 bad usage, config, file or no port, 3 board unreachable (also: silent during the run), 130 interrupted.`,
    )
    .action(async (opts: TrainOptions) => {
      process.exitCode = await train(opts);
    });
}

async function train(opts: TrainOptions): Promise<number> {
  const plan = resumePlanOf(opts);
  const source = plan?.path ?? configPathOf(opts);
  const matched = matchedPerturbOf(opts);
  const cfg = plan?.config ?? loadConfig(source, overridesOf(opts, matched));
  checkStepCost(cfg, loadDataset(cfg)?.train.length ?? 1, source, opts.allowSlow === true);
  const port = portOf(opts);
  const client = await DeviceClient.open(port, { ...boardPortOptions(opts), ...keyConnectOptions(opts) });
  const interrupt = interruptSignal();
  try {
    const target = new BoardTarget(client);
    const out = plan ? opts.out : runLogPathOf(opts.out, source, cfg.seed);
    const result = await runSession(target, cfg, {
      ...opts,
      out,
      resume: plan ?? undefined,
      signal: interrupt.signal,
      matchedPerturb: matched,
    });
    const lost = client.link.closedError;
    if (lost && result.summary.status === 'failed') return exitCodeOf(lost);
    // A board that restarted under the run → 1 (the run failed; the board is back, --monitor watches it), one gone silent → 3.
    const failure = result.summary.status === 'failed' ? target.deviceFailure : null;
    const code = failure ? exitCodeOf(failure) : exitCodeOfStatus(result.summary.status);
    if (opts.monitor && code !== EXIT.interrupted) {
      interrupt.dispose();
      await client.close();
      await monitorBoard(port, opts);
    }
    return code;
  } finally {
    interrupt.dispose();
    await client.close();
  }
}
