// --resume of the experiments that keep every finished run (or cell) in
// <out>/finished-runs.jsonl as it ends: nlr, local-global, barren-plateau, study, deep-plateau.
import { join } from 'node:path';
import type { Command } from 'commander';
import { FinishedRuns, type RunCodec } from '../experiments/finished-runs.ts';
import { exitCodesHelp } from './exit-codes.ts';

/**
 * An experiment's exit codes (--help): `failed` causes exit 1, `units` are kept on Ctrl-C;
 * `fleet`: it runs through the fleet with --broker (exit 3 when that fails).
 */
export function experimentExitCodes(failed: string, units: string, opts: { badOption?: string; fleet?: boolean } = {}): string {
  return exitCodesHelp({
    0: 'written',
    1: failed,
    2: `${opts.badOption ?? 'bad option'}, an --out that holds finished runs without --resume, or a file that cannot be read or written`,
    ...(opts.fleet ? { 3: 'with --broker: the broker unreachable, or no worker took a run for --wait seconds' } : {}),
    130: `interrupted by Ctrl-C (finished ${units} kept: --resume)`,
  });
}

export function addResumeOption(cmd: Command, unit: string, units = `${unit}s`): Command {
  return cmd
    .option('--resume', `go on after Ctrl-C or a crash: ${units} already in <out>/finished-runs.jsonl are read back, not run again`)
    .addHelpText(
      'after',
      `\nEvery ${unit} is appended to <out>/finished-runs.jsonl the moment it ends (Ctrl-C keeps the finished ones); --resume runs only the others.`,
    );
}

/** The store of <out>; refuses (exit 2) an --out that already holds finished runs without --resume. */
export function openFinishedRuns<T>(out: string, resume: boolean | undefined, codec?: RunCodec<T>): FinishedRuns<T> {
  const finished = new FinishedRuns<T>(join(out, 'finished-runs.jsonl'), resume === true, undefined, codec);
  if (resume) process.stderr.write(`qiot: ${finished.count} finished records read from ${finished.path}; running the others\n`);
  return finished;
}
