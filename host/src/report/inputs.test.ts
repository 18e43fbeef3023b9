import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunLog } from '../runlog/reader.ts';
import { checkDistinctFiles, checkDistinctRuns } from './inputs.ts';

const log = (started_at: string, seed: number) =>
  ({ header: { started_at, module_sha256: 'ab', config: { seed, optimizer: { name: 'nlr' } } } }) as unknown as RunLog;

describe('report inputs', () => {
  it('refuses one run logged twice under different bytes (same start, seed, module, optimizer)', () => {
    expect(() =>
      checkDistinctRuns([
        { path: 'a', log: log('2026-01-01T00:00:00Z', 1) },
        { path: 'b', log: log('2026-01-01T00:00:00Z', 2) },
      ]),
    ).not.toThrow();
    expect(() =>
      checkDistinctRuns([
        { path: 'a', log: log('2026-01-01T00:00:00Z', 1) },
        { path: 'b', log: log('2026-01-01T00:00:00Z', 1) },
      ]),
    ).toThrow(/b and a are the same run \(started 2026-01-01T00:00:00Z, seed 1, optimizer nlr\)/);
  });

  it('names a missing input as a file error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qiot-inputs-'));
    try {
      writeFileSync(join(dir, 'a'), 'x');
      expect(() => checkDistinctFiles([join(dir, 'a'), join(dir, 'nope')])).toThrow(
        `cannot read ${join(dir, 'nope')}: no such file or directory (ENOENT)`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
