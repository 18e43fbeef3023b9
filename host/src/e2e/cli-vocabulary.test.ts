// One vocabulary from sim to report: each loss under its own name (the last step's
// mini-batch loss and the exact training loss at the final θ are different numbers),
// accuracy as a percentage, no interval over one run, and a run given twice refused.
import { copyFileSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatLoss, formatPercent } from '../ui/format.ts';
import { qiot, REPO, scratchDir } from '../../testing/harness.ts';

const summaryOf = (path: string) => JSON.parse(readFileSync(path, 'utf8').trim().split('\n').at(-1)!);

describe('one vocabulary', () => {
  it('sim and report name each loss, format accuracy as a percentage, and refuse duplicates', async () => {
    const scratch = scratchDir();
    try {
      const [a, b] = [join(scratch.dir, 'a.jsonl'), join(scratch.dir, 'b.jsonl')];
      const config = join(REPO, 'examples/iris-nlr.json');
      const simA = await qiot(['sim', '--config', config, '--steps', '4', '--seed', '1', '--out', a]);
      expect(simA.code).toBe(0);
      expect((await qiot(['sim', '--config', config, '--steps', '4', '--seed', '2', '--out', b])).code).toBe(0);
      const s = summaryOf(a);
      expect(s.final_loss).not.toBe(s.train_loss); // two different numbers …
      // … each printed under its own name
      expect(simA.stdout).toContain(`last mini-batch loss ${formatLoss(s.final_loss)}`);
      expect(simA.stdout).toContain(`exact train loss ${formatLoss(s.train_loss)}`);
      expect(simA.stdout).toContain(`test accuracy ${formatPercent(s.test_accuracy)}`);
      expect(simA.stdout).not.toMatch(/final loss/);

      const one = await qiot(['report', a, '--out', join(scratch.dir, 'one')]);
      expect(one.code).toBe(0);
      const md1 = readFileSync(join(scratch.dir, 'one', 'runs.md'), 'utf8');
      expect(md1).toContain('| last mini-batch loss | best mini-batch loss | exact train loss | test loss | test accuracy |');
      expect(md1).toContain(`${formatPercent(s.test_accuracy)}`);
      expect(md1).toContain('(n = 1, no interval)');
      expect(md1).not.toMatch(/\[([\d.e-]+), \1\]/); // no [x, x] pseudo-interval

      const two = await qiot(['report', a, b, '--out', join(scratch.dir, 'two')]);
      expect(two.code).toBe(0);
      const md2 = readFileSync(join(scratch.dir, 'two', 'runs.md'), 'utf8');
      expect(md2).toMatch(/\| 2 \| [\d.]+ \[[\d.]+, [\d.]+\] \| [\d.]+ % \[[\d.]+ %, [\d.]+ %\] \|/);

      copyFileSync(a, join(scratch.dir, 'copy.jsonl'));
      symlinkSync(a, join(scratch.dir, 'link.jsonl'));
      const refused: [string[], RegExp][] = [
        [[a, a], /a\.jsonl is given twice \(same path\); each run counts once/],
        [[a, join(scratch.dir, 'link.jsonl')], /link\.jsonl is given twice \(also as .*a\.jsonl\)/],
        [[a, join(scratch.dir, 'copy.jsonl')], /copy\.jsonl and .*a\.jsonl have identical contents/],
      ];
      for (const [files, message] of refused) {
        const r = await qiot(['report', ...files, '--out', join(scratch.dir, 'dup')]);
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(message);
      }
    } finally {
      scratch.remove();
    }
  }, 300_000);
});
