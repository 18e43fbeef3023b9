// qiot-command: 110 attach — follow a run a board is training on its own: the records its telemetry ring still holds, then live ones
// `qiot attach [--port P]`: follows a run a board is training on its own (started by a
// host that went away, or by `qiot train` interrupted with its link): the run's records the
// telemetry ring still holds first, then live ones, each acknowledged so a board that
// paused on a full ring goes on (TELEMETRY_ACK is open: no key needed, also on a provisioned
// board). Records the ring overwrote are counted as gaps.
import { InvalidArgumentError, type Command } from 'commander';
import type { DeviceClient } from '../device/client.ts';
import { BoardState, boardStateName, DoneStatus, doneStatusName } from '../protocol/constants.ts';
import type { TelemetryMessage } from '../protocol/payloads.generated.ts';
import { decodeTelemetry } from '../wasm/telemetry.ts';
import { type BoardCommandOptions, withBoard } from './board-session.ts';
import { CliError, EXIT } from './exit-codes.ts';
import { addPortOptions } from './port-options.ts';

interface AttachOptions extends BoardCommandOptions {
  from?: number;
  json?: boolean;
}

function parseTseq(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new InvalidArgumentError('expected a record number (tseq) ≥ 0');
  return n;
}

export function register(program: Command): void {
  addPortOptions(program.command('attach'))
    .description('follow a run a board is training on its own: the records its telemetry ring still holds, then live ones')
    .option('--from <tseq>', 'first record to show (default: the first record of the run in progress)', parseTseq)
    .option('--json', 'print one JSON object per record, gap and end')
    .addHelpText(
      'after',
      `
Records of the run the ring no longer holds (it keeps the last 64) are reported as gaps and counted.
Ctrl-C detaches: the board keeps training (qiot stop stops it). The board is not restarted.
Exit codes: 0 the run ended (completed, stopped, budget exhausted), 1 it failed (numeric, trap) or the board is not training,
2 bad usage or no port, 3 board unreachable or link lost, 130 detached with Ctrl-C.`,
    )
    .action(async (opts: AttachOptions) => {
      process.exitCode = await withBoard(opts, (client, port) => attach(client, port, opts));
    });
}

async function attach(client: DeviceClient, port: string, opts: AttachOptions): Promise<number> {
  const status = await client.status();
  if (status.state !== BoardState.TRAINING && status.state !== BoardState.PAUSED) {
    throw new CliError(`${client.info.boardName} on ${port} is ${boardStateName(status.state)}: no run to attach to`, EXIT.failed);
  }
  // STATUS step is the step number of the run's last record, one record per step (from 1): the run's
  // first record is nextTseq − step. Older records in the ring belong to earlier runs; records of this
  // run the ring no longer holds are reported as a gap by the run's first fetch.
  const from = opts.from ?? status.nextTseq - status.step;
  const paramCount = (await client.readParams()).length;
  const out = (json: object, text: string) => process.stdout.write(opts.json ? `${JSON.stringify(json)}\n` : `${text}\n`);
  process.stderr.write(
    `qiot: attached to ${client.info.boardName} on ${port} at step ${status.step} (${boardStateName(status.state)}); records from ${from}; Ctrl-C detaches\n`,
  );
  let records = 0;
  let gaps = 0;
  let lost = 0;
  const run = client.attach(from, paramCount, {
    onTelemetry: (t: TelemetryMessage) => {
      records++;
      const r = decodeTelemetry(t.record);
      out(
        {
          type: 'telemetry',
          tseq: t.tseq,
          step: r.step,
          status: r.statusName,
          loss: r.loss,
          grad_norm: r.gradNorm,
          shots: Number(r.shotsTotal),
        },
        `tseq ${t.tseq}  step ${r.step}  loss ${r.loss.toPrecision(6)}  |g| ${r.gradNorm.toPrecision(4)}  shots ${r.shotsTotal}  ${r.statusName}`,
      );
    },
    onGap: (fromTseq, toTseq) => {
      gaps++;
      lost += toTseq - fromTseq;
      out(
        { type: 'gap', from: fromTseq, to: toTseq },
        `gap: records ${fromTseq}–${toTseq - 1} lost (${toTseq - fromTseq}; the ring overwrote them)`,
      );
    },
  });
  let detach: () => void = () => undefined;
  const detached = new Promise<'detached'>((resolve) => (detach = () => resolve('detached')));
  process.once('SIGINT', detach);
  process.once('SIGTERM', detach);
  try {
    const end = await Promise.race([run.done, detached]);
    const counts = { records, gaps, lost_records: lost };
    if (end === 'detached') {
      out(
        { type: 'detached', ...counts },
        `detached after ${records} records (${gaps} gaps, ${lost} records lost); the board keeps training`,
      );
      return EXIT.interrupted;
    }
    const status = doneStatusName(end.status);
    out(
      { type: 'done', status, steps: end.steps, train_loss: end.trainLoss, errors: end.errors, ...counts },
      `DONE ${status} after ${end.steps} steps, train loss ${end.trainLoss}; ${records} records shown, ${gaps} gaps (${lost} records lost)` +
        end.errors.map((e) => `\n  board error: ${e}`).join(''),
    );
    return end.status === DoneStatus.COMPLETED || end.status === DoneStatus.STOPPED || end.status === DoneStatus.BUDGET_EXHAUSTED
      ? EXIT.ok
      : EXIT.failed;
  } finally {
    process.off('SIGINT', detach);
    process.off('SIGTERM', detach);
  }
}
