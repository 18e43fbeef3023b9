// An experiment run to the end recording into a fresh <dir>/finished-runs.jsonl, then
// its file cut as by a kill mid-write (`keep` whole lines and half of the next), then
// resumed from that file: what an interrupted invocation plus `--resume` does.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FinishedRuns, type RunCodec } from '../src/experiments/finished-runs.ts';

export interface CutAndResume<R> {
  full: R;
  resumed: R;
  /** Lines of the file after the uninterrupted run, and after the resume. */
  linesBefore: string[];
  linesAfter: string[];
  /** Refusal of the cut file without --resume (null if it was accepted). */
  refusal: string | null;
  keptCount: number;
  warnings: string[];
}

/** `keepLines`: whole lines kept, or a function of the number of lines the uninterrupted run wrote. */
export async function cutAndResume<T, R>(
  codec: RunCodec<T>,
  keepLines: number | ((lines: number) => number),
  run: (finished: FinishedRuns<T>) => Promise<R>,
): Promise<CutAndResume<R>> {
  const path = join(mkdtempSync(join(tmpdir(), 'qiot-cut-')), 'finished-runs.jsonl');
  const lines = () => readFileSync(path, 'utf8').trimEnd().split('\n');
  const full = await run(new FinishedRuns(path, false, undefined, codec));
  const linesBefore = lines();
  const keep = typeof keepLines === 'number' ? keepLines : keepLines(linesBefore.length);
  writeFileSync(path, `${linesBefore.slice(0, keep).join('\n')}\n${linesBefore[keep]!.slice(0, 40)}`);
  let refusal: string | null = null;
  try {
    new FinishedRuns(path, false, undefined, codec);
  } catch (err) {
    refusal = (err as Error).message;
  }
  const warnings: string[] = [];
  const kept = new FinishedRuns(path, true, (m) => warnings.push(m), codec);
  const keptCount = kept.count;
  const resumed = await run(kept);
  return { full, resumed, linesBefore, linesAfter: lines(), refusal, keptCount, warnings };
}
