// File errors as a user meets them: named, in words, exit 2, and never a hang
// (`report --out /proc/x` used to spin in Node's recursive mkdir).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { qiot, REPO, scratchDir } from '../../testing/harness.ts';

describe('file errors', () => {
  it('report, plot, sim and experiment name the file and exit 2', async () => {
    const scratch = scratchDir();
    try {
      const log = join(scratch.dir, 'run.jsonl');
      const sim = await qiot(['sim', '--config', join(REPO, 'examples/iris-nlr.json'), '--steps', '3', '--out', log]);
      expect(sim.code).toBe(0);
      const file = join(scratch.dir, 'plain');
      writeFileSync(file, '');
      const cases: [string[], string][] = [
        [['report', log, '--out', '/proc/qiot-x'], 'qiot: cannot create /proc/qiot-x: no such file or directory (ENOENT)\n'],
        [['report', log, '--out', file], `qiot: cannot create ${file}: a file of that name exists (a folder is needed)\n`],
        [['plot', log, '--out', '/proc/qiot-x.svg'], 'qiot: cannot write /proc/qiot-x.svg: no such file or directory (ENOENT)\n'],
        [['plot', join(scratch.dir, 'missing.jsonl')], `qiot: ${join(scratch.dir, 'missing.jsonl')}: no such file\n`],
        [
          ['sim', '--config', join(REPO, 'examples/iris-nlr.json'), '--steps', '1', '--out', '/proc/qiot-x/run.jsonl'],
          'qiot: cannot create /proc/qiot-x: no such file or directory (ENOENT)\n',
        ],
        [
          ['experiment', 'barren-plateau', '--quick', '--out', '/proc/qiot-x'],
          'qiot: cannot create /proc/qiot-x: no such file or directory (ENOENT)\n',
        ],
      ];
      for (const [args, stderr] of cases) {
        const r = await qiot(args);
        expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 2, stderr });
      }
    } finally {
      scratch.remove();
    }
  }, 300_000);
});
