// The page's commands, checked and turned into fleet requests: stop a board's
// run, or start one from a run config (the JSON of `qiot train --config`).
import { randomInt } from 'node:crypto';
import { encodeConfig } from '../config/encode.ts';
import { ConfigError } from '../config/errors.ts';
import { parseConfig } from '../config/load.ts';
import { loadDataset } from '../data/load.ts';
import { packDataset } from '../data/pack.ts';
import { toBase64 } from '../fleet/messages.ts';
import type { BrokerLink } from './broker-link.ts';
import { CommandError, type CommandHandler } from './server.ts';

export function fleetCommands(link: Pick<BrokerLink, 'stop' | 'train'>): CommandHandler {
  return async (cmd) => {
    const board = cmd.board;
    if (typeof board !== 'string' || board === '') throw new CommandError('command needs a "board" (a board id from the fleet table)');
    switch (cmd.op) {
      case 'stop':
        return link.stop(board);
      case 'train': {
        let cfg: ReturnType<typeof parseConfig>;
        try {
          cfg = parseConfig(cmd.config, 'run config');
        } catch (err) {
          if (err instanceof ConfigError) throw new CommandError(err.message);
          throw err;
        }
        const dataset = loadDataset(cfg);
        return link.train(board, {
          config: toBase64(encodeConfig(cfg, dataset)),
          dataset: toBase64(dataset ? packDataset(dataset) : new Uint8Array(0)),
          steps: cfg.steps,
          tag: randomInt(0, 0xffff_ffff),
        });
      }
      default:
        throw new CommandError(`unknown command op ${JSON.stringify(cmd.op)} (expected "stop" or "train")`);
    }
  };
}
