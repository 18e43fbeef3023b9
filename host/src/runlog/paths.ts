// Where run logs go when no --out is given, and the rule that an existing log is never
// overwritten unless asked (--force).
import { existsSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { RunLogError } from './reader.ts';

/** runs/<YYYY-MM-DD>-<config name>-s<seed>.jsonl; the first free -2, -3, … when taken, so a default never overwrites. */
export function defaultRunLogPath(configPath: string, seed: number, now: Date = new Date(), dir = 'runs', suffix = '.jsonl'): string {
  const name = basename(configPath, extname(configPath)).replace(/[^A-Za-z0-9._-]/g, '_');
  const stem = join(dir, `${now.toISOString().slice(0, 10)}-${name}-s${seed}`);
  for (let n = 1; ; n++) {
    const path = `${stem}${n === 1 ? '' : `-${n}`}${suffix}`;
    if (!existsSync(path)) return path;
  }
}

/** The --out path, or a default one announced on stderr (so a run log is never lost). */
export function runLogPathOf(out: string | undefined, configPath: string, seed: number): string {
  if (out !== undefined) return out;
  const path = defaultRunLogPath(configPath, seed);
  process.stderr.write(`qiot: run log ${path}\n`);
  return path;
}

/** Refuses to replace an existing run log unless `force`. */
export function checkRunLogFree(path: string, force: boolean): void {
  if (!force && existsSync(path)) throw new RunLogError(path, 0, 'already exists: pass --force to overwrite it, or choose another --out');
}
