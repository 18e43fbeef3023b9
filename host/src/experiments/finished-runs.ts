// Finished runs of an experiment, kept on disk as they finish: one JSON line per
// run (its config and everything the analysis uses, telemetry as the module's raw
// bytes) appended to <out>/finished-runs.jsonl the moment the run ends. Ctrl-C or a
// crash at run 195 of 600 keeps 195; `--resume` reads them back and runs only the
// others. A torn last line (killed mid-write) is cut off on resume and its run run again.
import { appendFileSync, existsSync, readFileSync, truncateSync } from 'node:fs';
import { dirname } from 'node:path';
import { QiotError } from '../errors.ts';
import { makeDirectory } from '../file-errors.ts';
import { decodeTelemetry } from '../wasm/telemetry.ts';
import type { Trajectory } from './trajectory.ts';

export interface FinishedRun {
  trajectory: Trajectory;
  finalLoss: number;
  testLoss: number;
  testAccuracy: number;
  paramCount: number;
  wallTimeS: number;
}

/** A run as a line of the file: each step as the hex of its 64 raw telemetry bytes. */
type StoredRun = Omit<FinishedRun, 'trajectory'> & { trajectory: Omit<Trajectory, 'steps'> & { steps: string[] } };

/** JSON has no NaN or ∞ (a diverged run has them): written as strings, read back as numbers. */
const NON_FINITE = new Set(['NaN', 'Infinity', '-Infinity']);
const replacer = (_k: string, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v);
const reviver = (_k: string, v: unknown) => (typeof v === 'string' && NON_FINITE.has(v) ? Number(v) : v);

export class FinishedRuns {
  private readonly runs = new Map<string, FinishedRun>();

  /**
   * `resume`: read the runs a previous invocation finished; otherwise the file must not
   * hold any (an experiment never silently mixes two invocations' runs).
   */
  constructor(
    readonly path: string,
    resume: boolean,
    warn: (message: string) => void = (m) => process.stderr.write(`qiot: warning: ${m}\n`),
  ) {
    if (!existsSync(path)) return;
    const text = readFileSync(path, 'utf8');
    const lines = text.split('\n');
    while (lines.length > 0 && lines.at(-1) === '') lines.pop();
    if (!resume && lines.length > 0) {
      throw new QiotError(
        `${path} already holds ${lines.length} finished runs: add --resume to run only the others, or choose another --out`,
        'invalid',
      );
    }
    lines.forEach((line, i) => {
      let entry: { key: string; run: StoredRun };
      try {
        entry = JSON.parse(line, reviver);
      } catch (err) {
        if (i === lines.length - 1) {
          // Cut it off, so the next run appended starts on a line of its own.
          truncateSync(path, Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1)));
          warn(`${path}:${i + 1}: torn last record removed (${(err as Error).message}); the run will be run again`);
          return;
        }
        throw new QiotError(`${path}:${i + 1}: not valid JSON: ${(err as Error).message}`, 'invalid');
      }
      const steps = entry.run.trajectory.steps.map((hex) => {
        const raw = new Uint8Array(Buffer.from(hex, 'hex'));
        return { ...decodeTelemetry(raw), raw };
      });
      this.runs.set(entry.key, { ...entry.run, trajectory: { ...entry.run.trajectory, steps } });
    });
  }

  get count(): number {
    return this.runs.size;
  }

  get(key: string): FinishedRun | undefined {
    return this.runs.get(key);
  }

  /** Appends the run (one synchronous write) before the experiment goes on. */
  add(key: string, run: FinishedRun): void {
    const steps = run.trajectory.steps.map((s) => Buffer.from(s.raw).toString('hex'));
    makeDirectory(dirname(this.path));
    appendFileSync(this.path, `${JSON.stringify({ key, run: { ...run, trajectory: { ...run.trajectory, steps } } }, replacer)}\n`);
    this.runs.set(key, run);
  }
}
