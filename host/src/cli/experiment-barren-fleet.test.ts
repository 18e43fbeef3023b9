// `qiot experiment barren-plateau` through the fleet (each gradient batch a `task` of kind
// 'barren-plateau'), through the CLI:
// - `--threads 2` (an embedded broker of its own + 2 worker threads in the process) writes the same
//   result files as a local `--workers 2` run, byte for byte;
// - broker down, no worker, --workers with the fleet: message and exit code.
// A worker that dies holding a batch: experiments/barren-plateau-fleet.test.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { qiot, scratchDir } from '../../testing/harness.ts';
import { expectFleetRefusals, ownEmbeddedBroker } from '../../testing/experiment-fleet-cli.ts';
import { expectSameResults, filesIn, untimed } from '../../testing/same-results.ts';

const scratch = scratchDir();
const out = (name: string) => join(scratch.dir, name);

afterAll(() => scratch.remove());

describe('qiot experiment barren-plateau on the fleet', () => {
  it('--threads 2 writes the same result files as a local run (--quick)', async () => {
    const [local, fleet] = await Promise.all([
      qiot(['experiment', 'barren-plateau', '--quick', '--workers', '2', '-o', out('local')]),
      qiot(['experiment', 'barren-plateau', '--quick', '--threads', '2', '-o', out('fleet')], undefined, {
        env: await ownEmbeddedBroker(),
      }),
    ]);
    expect(local.code, local.stderr).toBe(0);
    expect(fleet.code, fleet.stderr).toBe(0);
    expect(fleet.stdout).toBe(local.stdout.replace(out('local'), out('fleet')));
    // barren-plateau writes no time fields: every file byte for byte (finished-runs.jsonl as a set of lines).
    const json = readFileSync(join(out('local'), 'barren-plateau.json'), 'utf8');
    expect(untimed(json)).toBe(json);
    expect(filesIn(out('local'))).toEqual([
      'barren-plateau-variance.png',
      'barren-plateau-variance.svg',
      'barren-plateau.json',
      'barren-plateau.md',
      'command.txt',
      'finished-runs.jsonl',
    ]);
    expectSameResults(out('local'), out('fleet'), 5);
    expect(
      readFileSync(join(out('fleet'), 'finished-runs.jsonl'), 'utf8')
        .trimEnd()
        .split('\n'),
    ).toHaveLength(10);
  }, 300_000);

  it('names a broker that is down, a fleet without workers, and --workers with the fleet', async () => {
    await expectFleetRefusals((extra) => ['experiment', 'barren-plateau', '--quick', ...extra], out);
  }, 120_000);
});
