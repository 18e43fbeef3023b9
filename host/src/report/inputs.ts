// Inputs of a report are distinct runs: a log named twice (same path, a symlink, a
// copy) would count as two runs and narrow the intervals, so it is refused.
import { createHash } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import { QiotError } from '../errors.ts';
import { asFileError } from '../file-errors.ts';
import type { RunLog } from '../runlog/reader.ts';

export class DuplicateInputError extends QiotError {
  constructor(message: string) {
    super(message, 'invalid');
    this.name = 'DuplicateInputError';
  }
}

function identity(path: string): { real: string; sha256: string } {
  try {
    return { real: realpathSync(path), sha256: createHash('sha256').update(readFileSync(path)).digest('hex') };
  } catch (err) {
    throw asFileError(err, path, 'read');
  }
}

/** Refuses a file given twice: by path (symlinks resolved) or by identical content. */
export function checkDistinctFiles(paths: readonly string[]): void {
  const byPath = new Map<string, string>();
  const byContent = new Map<string, string>();
  for (const path of paths) {
    const { real, sha256 } = identity(path);
    const samePath = byPath.get(real);
    if (samePath !== undefined) {
      throw new DuplicateInputError(
        `${path} is given twice (${samePath === path ? 'same path' : `also as ${samePath}`}); each run counts once`,
      );
    }
    const sameContent = byContent.get(sha256);
    if (sameContent !== undefined)
      throw new DuplicateInputError(`${path} and ${sameContent} have identical contents: the same run given twice`);
    byPath.set(real, path);
    byContent.set(sha256, path);
  }
}

/** Refuses two logs of one run (a copy with other trailing bytes, a log and its resumed rewrite):
 *  same start time, seed and module. */
export function checkDistinctRuns(logs: readonly { path: string; log: RunLog }[]): void {
  const seen = new Map<string, string>();
  for (const { path, log } of logs) {
    const h = log.header;
    const key = `${h.started_at} ${h.config.seed} ${h.module_sha256} ${h.config.optimizer.name}`;
    const other = seen.get(key);
    if (other !== undefined) {
      throw new DuplicateInputError(
        `${path} and ${other} are the same run (started ${h.started_at}, seed ${h.config.seed}, optimizer ${h.config.optimizer.name}); each run counts once`,
      );
    }
    seen.set(key, path);
  }
}
