// RunLogWriter: appends validated records to a JSON Lines file, one synchronous
// write per record, so every record before a crash or Ctrl-C is on disk.
import { closeSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { errnoReason, FileError, isErrnoError, makeDirectory } from '../file-errors.ts';
import { RunLogError } from './reader.ts';
import { RunLogRecordSchema, type RunLogRecord } from './schema.ts';

/**
 * JSON has no NaN or ∞: JSON.stringify writes null, as the schema expects. Header and summary are validated as
 * read back. Step records are not, one by one: they come from one builder (stepRecordFromTelemetry, its output
 * checked against the schema by its tests), and validating each cost ≈ 20 µs — 2 % of a 4-qubit step — on the
 * thread that collects a sweep's runs. Readers validate every record.
 */
export function formatRecord(record: RunLogRecord): string {
  const text = JSON.stringify(record);
  if (record.type !== 'step') RunLogRecordSchema.parse(JSON.parse(text));
  return text;
}

export class RunLogWriter {
  private fd: number | null;
  private pendingRename: string | null;

  /**
   * `replace`: the log at `path` is being rewritten (a resumed run): records go to a
   * temporary file beside it until `commit()` renames it over `path`, so the old log
   * stays whole until the new one holds everything it had.
   */
  constructor(
    readonly path: string,
    opts: { replace?: boolean } = {},
  ) {
    this.pendingRename = opts.replace ? `${path}.resuming` : null;
    try {
      makeDirectory(dirname(path)); // not mkdirSync's recursive mode: it spins under /proc
      this.fd = openSync(this.pendingRename ?? path, 'w');
    } catch (err) {
      if (err instanceof FileError) throw err;
      const reason = isErrnoError(err) ? errnoReason(err) : String(err);
      throw new RunLogError(path, 0, `cannot create the run log: ${reason}`);
    }
  }

  write(record: RunLogRecord): void {
    if (this.fd === null) throw new Error(`run log ${this.path} is already closed`);
    writeSync(this.fd, `${formatRecord(record)}\n`);
  }

  /** Puts the rewritten log in place of the old one (atomic rename); later records go on being appended. */
  commit(): void {
    if (this.pendingRename === null) return;
    renameSync(this.pendingRename, this.path);
    this.pendingRename = null;
  }

  close(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
  }
}
