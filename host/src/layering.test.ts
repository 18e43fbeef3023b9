import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { layeringViolations, readSources } from './layering.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('host layering', () => {
  it('holds for every source file of host/src', () => {
    const files = readSources(ROOT);
    expect(files.length).toBeGreaterThan(100);
    expect(files.some((f) => f.imports.includes('commander'))).toBe(true); // the parser sees imports
    expect(layeringViolations(files)).toEqual([]);
  });

  it('reports a library import of the CLI or commander, a fixture import, and a folder cycle', () => {
    const problems = layeringViolations([
      { path: 'host/src/device/client.ts', imports: ['../cli/exit-codes.ts', 'commander', '../train/run.ts'] },
      { path: 'host/src/train/run.ts', imports: ['../device/client.ts', '../../testing/fake-board.ts'] },
      { path: 'host/src/train/run.test.ts', imports: ['../../testing/fake-board.ts', '../cli/main.ts', '../device/client.ts'] },
      { path: 'host/src/device/testing/fake.ts', imports: ['../../cli/main.ts', '../../train/run.ts'] },
      { path: 'host/src/cli/main.ts', imports: ['commander', '../device/client.ts'] },
    ]);
    expect(problems).toEqual([
      'host/src/device/client.ts imports ../cli/exit-codes.ts: only host/src/cli/ may use the CLI or commander',
      'host/src/device/client.ts imports commander: only host/src/cli/ may use the CLI or commander',
      'host/src/train/run.ts imports ../../testing/fake-board.ts: library code must not use test fixtures',
      'folders of host/src depend on each other in a circle: cli → device → cli',
    ]);
  });
});
