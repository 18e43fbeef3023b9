// --allow-slow on every command that starts training steps on a board (train, fleet train,
// sweep): a config whose estimated step cost is over the bound (host/src/config/step-cost.ts)
// is refused, naming the estimate, unless the option is given.
import type { Command } from 'commander';
import { checkStepCost } from '../config/step-cost.ts';
import type { RunConfig } from '../config/schema.ts';
import { loadDataset } from '../data/load.ts';

export function addAllowSlowOption(cmd: Command): Command {
  return cmd.option('--allow-slow', 'run a config whose estimated step cost is over the bound (host/src/config/step-cost.ts)');
}

/** Throws the ConfigError (exit 2) of checkStepCost for a config over the bound without --allow-slow. */
export function checkRunCost(cfg: RunConfig, source: string, allowSlow: boolean | undefined): void {
  checkStepCost(cfg, loadDataset(cfg)?.train.length ?? 1, source, allowSlow === true);
}
