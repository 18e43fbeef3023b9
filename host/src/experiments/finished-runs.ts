// Finished runs of an experiment, kept on disk as they finish: one JSON line per
// run or other unit of work (its key and everything the analysis uses; an nlr run's
// telemetry as the module's raw bytes) appended to <out>/finished-runs.jsonl the moment the run ends. Ctrl-C or a
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

/** How a unit is written to and read from its line. */
export interface RunCodec<T> {
  encode(run: T): unknown;
  decode(stored: unknown): T;
}

/** nlr's runs: telemetry steps as raw bytes, decoded again on reading. */
export const TELEMETRY_RUN_CODEC: RunCodec<FinishedRun> = {
  encode: (run) => ({
    ...run,
    trajectory: { ...run.trajectory, steps: run.trajectory.steps.map((s) => Buffer.from(s.raw).toString('hex')) },
  }),
  decode: (stored) => {
    const run = stored as StoredRun;
    const steps = run.trajectory.steps.map((hex) => {
      const raw = new Uint8Array(Buffer.from(hex, 'hex'));
      return { ...decodeTelemetry(raw), raw };
    });
    return { ...run, trajectory: { ...run.trajectory, steps } };
  },
};

/** Units that are plain JSON data (numbers, strings, arrays): stored as they are. */
export function plainRunCodec<T>(): RunCodec<T> {
  return { encode: (run) => run, decode: (stored) => stored as T };
}

/** JSON has no NaN or ∞ (a diverged run has them): written as strings, read back as numbers. */
const NON_FINITE = new Set(['NaN', 'Infinity', '-Infinity']);
const replacer = (_k: string, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v);
const reviver = (_k: string, v: unknown) => (typeof v === 'string' && NON_FINITE.has(v) ? Number(v) : v);

export class FinishedRuns<T = FinishedRun> {
  private readonly runs = new Map<string, T>();
  /** Units running now: a second request for one waits for it instead of running it twice. */
  private readonly running = new Map<string, Promise<T>>();

  /**
   * `resume`: read the runs a previous invocation finished; otherwise the file must not
   * hold any (an experiment never silently mixes two invocations' runs).
   */
  constructor(
    readonly path: string,
    resume: boolean,
    warn: (message: string) => void = (m) => process.stderr.write(`qiot: warning: ${m}\n`),
    private readonly codec: RunCodec<T> = TELEMETRY_RUN_CODEC as unknown as RunCodec<T>,
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
      let entry: { key: string; run: unknown };
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
      this.runs.set(entry.key, codec.decode(entry.run));
    });
  }

  get count(): number {
    return this.runs.size;
  }

  get(key: string): T | undefined {
    return this.runs.get(key);
  }

  /**
   * The recorded unit of `key`, else `run()`'s result, recorded the moment it resolves (on
   * this thread, also when `run` waits for a worker thread) and before it is returned.
   */
  async getOrRun(key: string, run: () => Promise<T>): Promise<T> {
    const done = this.runs.get(key);
    if (done !== undefined) return done;
    const pending = this.running.get(key);
    if (pending) return pending;
    const fresh = run().then((result) => {
      this.add(key, result);
      return result;
    });
    this.running.set(key, fresh);
    try {
      return await fresh;
    } finally {
      this.running.delete(key);
    }
  }

  /** Appends the run (one synchronous write) before the experiment goes on. */
  add(key: string, run: T): void {
    makeDirectory(dirname(this.path));
    appendFileSync(this.path, `${JSON.stringify({ key, run: this.codec.encode(run) }, replacer)}\n`);
    this.runs.set(key, run);
  }
}

/**
 * `run` with its units going through `finished` when there is one: keyed by the task's JSON
 * (its whole definition), recorded as each one ends, and not run again when already there.
 */
export function runRecorded<TIn, T>(run: (task: TIn) => Promise<T>, finished?: FinishedRuns<T>): (task: TIn) => Promise<T> {
  return finished ? (task) => finished.getOrRun(JSON.stringify(task), () => run(task)) : run;
}
