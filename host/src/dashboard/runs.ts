// Run logs under `--runs DIR` for the dashboard: a cheap listing (header and
// summary read from the two ends of each file) and one run as compact series,
// from any step on, so a page can follow a log that is still being written.
import { closeSync, type Dirent, fstatSync, openSync, readSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parseRunLog, RunLogError } from '../runlog/reader.ts';
import type { HeaderRecord, SummaryRecord } from '../runlog/schema.ts';
import { DASHBOARD } from './limits.ts';

export interface RunListing {
  /** Path relative to the runs directory, with `/` separators: the id used by the API. */
  id: string;
  mtimeMs: number;
  size: number;
  optimizer: string | null;
  seed: number | null;
  target: string | null;
  /** Summary status, `live` (no summary, recently written) or `unfinished` (no summary, not written lately). */
  status: string;
  steps: number | null;
  finalLoss: number | null;
  /** Why the log could not be read, if it could not. */
  error?: string;
}

/** One run as columns (steps from `from` on) plus its header and summary. */
export interface RunData {
  id: string;
  header: HeaderRecord;
  summary: SummaryRecord | null;
  /** Index of the first step in the columns (the `from` asked for). */
  from: number;
  /** Total step records in the log now; ask again with `from = total` for what follows. */
  total: number;
  step: number[];
  loss: (number | null)[];
  trialLoss: (number | null)[];
  gradNorm: (number | null)[];
  shotsTotal: number[];
  /** 1 where the step ran in NLR's negative (ascent) phase. */
  negative: number[];
}

function walk(dir: string, depth: number, out: string[]): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory() && depth > 1) walk(path, depth - 1, out);
    else if (e.isFile() && e.name.endsWith('.jsonl')) out.push(path);
  }
}

function readEnds(path: string): { head: string; tail: string; size: number; mtimeMs: number } {
  const fd = openSync(path, 'r');
  try {
    const st = fstatSync(fd);
    const n = Math.min(st.size, DASHBOARD.headTailBytes);
    const head = Buffer.alloc(n);
    readSync(fd, head, 0, n, 0);
    const tail = Buffer.alloc(n);
    readSync(fd, tail, 0, n, st.size - n);
    return { head: head.toString('utf8'), tail: tail.toString('utf8'), size: st.size, mtimeMs: st.mtimeMs };
  } finally {
    closeSync(fd);
  }
}

function jsonOrNull(line: string | undefined): Record<string, unknown> | null {
  if (!line) return null;
  try {
    const v = JSON.parse(line);
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** JSONL files that are not run logs (e.g. a sweep's index.jsonl): valid JSON without a record type. */
function isOtherJsonl(head: string): boolean {
  const first = jsonOrNull(head.split('\n')[0]);
  return first !== null && first.type === undefined;
}

export function listRuns(root: string, now = Date.now()): RunListing[] {
  const files: string[] = [];
  walk(root, DASHBOARD.runsMaxDepth, files);
  const listed = files
    .map((path) => ({ path, mtimeMs: statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
    .sort((a, b) => b.mtimeMs - a.mtimeMs)
    .slice(0, DASHBOARD.runsMaxListed);
  return listed.flatMap(({ path }): RunListing[] => {
    const id = relative(root, path).split(sep).join('/');
    try {
      const { head, tail, size, mtimeMs } = readEnds(path);
      if (isOtherJsonl(head)) return [];
      const header = jsonOrNull(head.split('\n')[0]);
      if (header?.type !== 'header') throw new Error('first line is not a run log header');
      const config = header.config as { optimizer?: { name?: string }; seed?: number };
      const target = header.target as { kind?: string; board?: string } | undefined;
      const lines = tail.split('\n').filter((l) => l.trim() !== '');
      const last = jsonOrNull(lines.at(-1));
      const summary = last?.type === 'summary' ? last : null;
      const lastStep = [...lines]
        .reverse()
        .map(jsonOrNull)
        .find((r) => r?.type === 'step');
      const live = now - mtimeMs < DASHBOARD.liveLogWindowMs;
      return [
        {
          id,
          mtimeMs,
          size,
          optimizer: config.optimizer?.name ?? null,
          seed: config.seed ?? null,
          target: target?.kind === 'board' ? (target.board ?? 'board') : (target?.kind ?? null),
          status: summary ? String(summary.status) : live ? 'live' : 'unfinished',
          steps: summary ? Number(summary.steps) : lastStep ? Number(lastStep.step) : 0,
          finalLoss: summary ? (summary.final_loss as number | null) : ((lastStep?.loss as number | null) ?? null),
        },
      ];
    } catch (err) {
      return [
        {
          id,
          mtimeMs: 0,
          size: 0,
          optimizer: null,
          seed: null,
          target: null,
          status: 'unreadable',
          steps: null,
          finalLoss: null,
          error: String((err as Error).message ?? err),
        },
      ];
    }
  });
}

/** Resolves an API run id inside the runs directory; anything reaching outside it is refused. */
export function runPath(root: string, id: string): string | null {
  if (!id.endsWith('.jsonl') || id.includes('\0')) return null;
  const parts = id.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\\'))) return null;
  return join(root, ...parts);
}

/**
 * Reads one run log from step index `from` on. A log being written may end in a
 * torn line: only complete lines (ending in a newline) are parsed.
 */
export function readRun(root: string, id: string, from = 0): RunData {
  const path = runPath(root, id);
  if (path === null) throw new RunLogError(id, 0, 'not a run log id under the runs directory');
  let text: string;
  try {
    const fd = openSync(path, 'r');
    try {
      const size = fstatSync(fd).size;
      const buf = Buffer.alloc(size);
      readSync(fd, buf, 0, size, 0);
      text = buf.toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new RunLogError(id, 0, code === 'ENOENT' ? 'no such file' : `cannot read: ${String(err)}`);
  }
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  const log = parseRunLog(complete, id);
  const steps = log.steps.slice(Math.max(0, from));
  return {
    id,
    header: log.header,
    summary: log.summary,
    from: Math.max(0, Math.min(from, log.steps.length)),
    total: log.steps.length,
    step: steps.map((s) => s.step),
    loss: steps.map((s) => s.loss),
    trialLoss: steps.map((s) => s.trial_loss),
    gradNorm: steps.map((s) => s.grad_norm),
    shotsTotal: steps.map((s) => s.shots_total),
    negative: steps.map((s) => (s.phase === '-' ? 1 : 0)),
  };
}
