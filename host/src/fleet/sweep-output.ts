// The output folder of a sweep: one complete run log per finished run
// (<run-id>.jsonl, written to a temporary name and renamed, so a file that
// exists is never partial) and index.jsonl, one line per finished run, rewritten
// the same way after each one. --resume runs only the ids without a log.
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRunLog } from '../runlog/reader.ts';
import type { RunLogRecord, SummaryRecord } from '../runlog/schema.ts';
import { formatRecord } from '../runlog/writer.ts';
import type { SweepRun } from './sweep-grid.ts';
import { SweepUsageError } from './sweep-grid.ts';

export interface IndexEntry {
  run_id: string;
  file: string;
  params: Record<string, unknown>;
  status: SummaryRecord['status'];
  steps: number;
  final_loss: number | null;
  best_loss: number | null;
  test_accuracy: number | null;
  executor: string | null;
  error?: string;
}

const INDEX = 'index.jsonl';
const TMP = '.partial';

export class SweepOutput {
  private readonly entries = new Map<string, IndexEntry>();

  /** Opens DIR; without resume it must not hold run logs yet. Leftover temporary files of an interrupted write are removed. */
  constructor(
    readonly dir: string,
    runs: readonly SweepRun[],
    resume: boolean,
  ) {
    mkdirSync(dir, { recursive: true });
    const files = readdirSync(dir);
    for (const f of files.filter((f) => f.endsWith(TMP))) rmSync(join(dir, f));
    const logs = files.filter((f) => f.endsWith('.jsonl') && f !== INDEX);
    if (logs.length > 0 && !resume) {
      throw new SweepUsageError(
        `${dir} already holds ${logs.length} run log(s): add --resume to run only the missing runs, or choose another --out`,
      );
    }
    const byId = new Map(runs.map((r) => [r.id, r]));
    for (const f of logs) {
      const run = byId.get(f.slice(0, -'.jsonl'.length));
      if (!run) continue; // a run of another grid: left alone, not in this index
      const log = readRunLog(join(dir, f));
      if (log.summary) this.entries.set(run.id, entryOf(run, f, log.summary, null)); // else: not finished, runs again
    }
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  get finished(): number {
    return this.entries.size;
  }

  write(run: SweepRun, records: readonly RunLogRecord[], executor: string): IndexEntry {
    const file = `${run.id}.jsonl`;
    const text = records.map((r) => `${formatRecord(r)}\n`).join('');
    atomicWrite(join(this.dir, file), text);
    const summary = records.find((r): r is SummaryRecord => r.type === 'summary');
    if (!summary) throw new Error(`run ${run.id} has no summary record`);
    const entry = entryOf(run, file, summary, executor);
    this.entries.set(run.id, entry);
    const index = [...this.entries.values()].sort((a, b) => a.run_id.localeCompare(b.run_id)).map((e) => `${JSON.stringify(e)}\n`);
    atomicWrite(join(this.dir, INDEX), index.join(''));
    return entry;
  }
}

function entryOf(run: SweepRun, file: string, s: SummaryRecord, executor: string | null): IndexEntry {
  return {
    run_id: run.id,
    file,
    params: run.params,
    status: s.status,
    steps: s.steps,
    final_loss: s.final_loss,
    best_loss: s.best_loss,
    test_accuracy: s.test_accuracy,
    executor,
    ...(s.error !== undefined ? { error: s.error } : {}),
  };
}

function atomicWrite(path: string, text: string): void {
  writeFileSync(`${path}${TMP}`, text);
  renameSync(`${path}${TMP}`, path);
}
