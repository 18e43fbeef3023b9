// Result folders of two runs of one experiment (e.g. local and through the fleet) compared file
// for file: byte for byte, but for the fields and lines that measure time (they differ between
// two local runs too) and command.txt; finished-runs.jsonl as a set of lines (units end in any order).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

/** Fields that measure time: JSON wall times and start times, and the reports' "wall time … min". */
const TIMES = /("wallTimeS"|"wall_time_s"|"started_at"):\s*("[^"]*"|[^,}\s]+)|([Ww]all time) [0-9.e+-]+ min/g;
export const untimed = (text: string) => text.replace(TIMES, (_m, field, _v, wall) => (field ? `${field}:0` : `${wall} 0 min`));

export function filesIn(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
}

/**
 * Every result file of `b` equals `a`'s (see above); `a` must hold at least `minFiles` of them.
 * `expected` maps the text of `a`'s JSON and Markdown files to what `b`'s must be (a known difference).
 */
export function expectSameResults(a: string, b: string, minFiles: number, expected = (text: string) => text): void {
  const files = filesIn(a).filter((f) => f !== 'command.txt');
  expect(filesIn(b).filter((f) => f !== 'command.txt')).toEqual(files);
  expect(files.length).toBeGreaterThanOrEqual(minFiles);
  const lines = (t: Buffer) => untimed(t.toString()).trimEnd().split('\n').sort();
  for (const f of files) {
    const [x, y] = [readFileSync(join(a, f)), readFileSync(join(b, f))];
    if (f === 'finished-runs.jsonl') expect(lines(y), f).toEqual(lines(x));
    else if (/\.(json|jsonl|md)$/.test(f)) expect(untimed(y.toString()), f).toBe(untimed(expected(x.toString())));
    else expect(y.equals(x), `${b}/${f} differs from ${a}/${f}`).toBe(true);
  }
}
