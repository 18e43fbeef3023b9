// readRunLog: parses and validates a JSON Lines run log. Order: one header,
// then step records, then at most one summary. A log without a summary (the
// process was killed) is returned with `summary: null`; a torn last line (the
// process died mid-write) is dropped with a warning naming the file and line, so
// every complete record is still used; anything else malformed is a RunLogError
// naming the line.
import { readFileSync } from 'node:fs';
import { problemsFromZod } from '../config/errors.ts';
import { RunLogRecordSchema, type HeaderRecord, type StepRecord, type SummaryRecord } from './schema.ts';
import { QiotError } from '../errors.ts';

export interface RunLog {
  header: HeaderRecord;
  steps: StepRecord[];
  summary: SummaryRecord | null;
  /** What was skipped while reading, each as `path:line: what` (a torn last line). */
  warnings?: string[];
}

export type RunLogWarning = (message: string) => void;

/** Readers warn on stderr unless the caller handles warnings itself. */
export const warnOnStderr: RunLogWarning = (message) => {
  process.stderr.write(`qiot: warning: ${message}\n`);
};

/** A run log that cannot be read, written or parsed; `line` is 1-based, 0 for the file as a whole. */
export class RunLogError extends QiotError {
  constructor(
    readonly path: string,
    readonly line: number,
    detail: string,
  ) {
    super(line > 0 ? `${path}:${line}: ${detail}` : `${path}: ${detail}`, 'invalid');
    this.name = 'RunLogError';
  }
}

export function readRunLog(path: string, onWarning: RunLogWarning = warnOnStderr): RunLog {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new RunLogError(path, 0, code === 'ENOENT' ? 'no such file' : `cannot read: ${String(err)}`);
  }
  const log = parseRunLog(text, path);
  for (const warning of log.warnings ?? []) onWarning(warning);
  return log;
}

export function parseRunLog(text: string, path = 'run log'): RunLog {
  const lines = text.split('\n');
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  if (lines.length === 0) throw new RunLogError(path, 1, 'empty run log (expected a header record)');
  const warnings: string[] = [];
  const torn = tornLastLine(lines);
  if (torn !== null) {
    if (lines.length === 1) throw new RunLogError(path, 1, `torn header record (not valid JSON: ${torn})`);
    warnings.push(
      `${path}:${lines.length}: torn last record skipped (not valid JSON: ${torn}); using the ${lines.length - 1} complete records before it`,
    );
    lines.pop();
  }

  let header: HeaderRecord | null = null;
  const steps: StepRecord[] = [];
  let summary: SummaryRecord | null = null;

  lines.forEach((line, index) => {
    const lineNo = index + 1;
    const fail = (detail: string): never => {
      throw new RunLogError(path, lineNo, detail);
    };
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      fail(`not valid JSON: ${(err as Error).message}`);
    }
    const parsed = RunLogRecordSchema.safeParse(value, { reportInput: true });
    if (!parsed.success) {
      const type = (value as { type?: unknown } | null)?.type;
      const kind = type === 'header' || type === 'step' || type === 'summary' ? `${type} record` : 'record';
      const problems = problemsFromZod(parsed.error.issues).map((p) => (p.field ? `${p.field}: ${p.message}` : p.message));
      fail(`invalid ${kind}: ${problems.join('; ')}`);
    }
    const record = parsed.data!;
    if (summary) fail(`${record.type} record after the summary`);
    if (record.type === 'header') {
      if (lineNo !== 1) fail('a second header record');
      header = record;
    } else if (!header) {
      fail(`the first record must be the header (got a ${record.type} record)`);
    } else if (record.type === 'step') {
      const previous = steps[steps.length - 1];
      if (previous && record.step <= previous.step) {
        fail(`step ${record.step} does not follow step ${previous.step}`);
      }
      steps.push(record);
    } else {
      summary = record;
    }
  });
  return { header: header!, steps, summary, warnings };
}

/** The JSON error of the last line if it is cut short (a write the process did not finish), else null. */
function tornLastLine(lines: readonly string[]): string | null {
  try {
    JSON.parse(lines[lines.length - 1]!);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}
