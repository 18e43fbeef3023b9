import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectSameResults } from '../../testing/same-results.ts';

const QIOT = new URL('../../bin/qiot.js', import.meta.url).pathname;
const run = (...args: string[]) => spawnSync(process.execPath, [QIOT, ...args], { encoding: 'utf8' });

describe('qiot experiment', () => {
  it('barren-plateau --quick writes JSON, Markdown and the figure, and prints slopes next to the 2-design reference', () => {
    const out = mkdtempSync(join(tmpdir(), 'qiot-bp-'));
    const r = run('experiment', 'barren-plateau', '--quick', '--qubits', '2..4', '--samples', '20', '--out', out);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /global all points +slope -?[\d.]+ per qubit, 95% CI \[.+\] \(t-distribution, 1 dof\); 2-design reference -1\.386/,
    );
    expect(readdirSync(out).sort()).toEqual([
      'barren-plateau-variance.png',
      'barren-plateau-variance.svg',
      'barren-plateau.json',
      'barren-plateau.md',
      'command.txt',
      'finished-runs.jsonl',
    ]);
    const json = JSON.parse(readFileSync(join(out, 'barren-plateau.json'), 'utf8'));
    expect(json.rows).toHaveLength(6);
    expect(readFileSync(join(out, 'command.txt'), 'utf8')).toContain('qiot experiment barren-plateau --quick --qubits 2..4');

    // The same --out again: refused without --resume; with it every cell is read back, none sampled again.
    const args = ['experiment', 'barren-plateau', '--quick', '--qubits', '2..4', '--samples', '20', '--out', out];
    const again = run(...args);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/finished-runs\.jsonl already holds 6 finished runs: add --resume/);
    const resumed = run(...args, '--resume');
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('6 finished records read from');
    expect(JSON.parse(readFileSync(join(out, 'barren-plateau.json'), 'utf8')).rows).toEqual(json.rows);
    expect(readFileSync(join(out, 'finished-runs.jsonl'), 'utf8').trimEnd().split('\n')).toHaveLength(6);
  });

  it('barren-plateau --quick on 1 and on 2 worker threads writes the same result files', () => {
    const outs = ['1', '2'].map((workers) => {
      const out = mkdtempSync(join(tmpdir(), `qiot-bp-w${workers}-`));
      const r = run('experiment', 'barren-plateau', '--quick', '--workers', workers, '--out', out);
      expect(r.status, r.stderr).toBe(0);
      return out;
    });
    // No time fields in barren-plateau's files: byte for byte (finished-runs.jsonl as a set of lines).
    expectSameResults(outs[0], outs[1], 5);
    expect(JSON.parse(readFileSync(join(outs[0], 'barren-plateau.json'), 'utf8')).rows).toHaveLength(10);
    const bad = run('experiment', 'barren-plateau', '--quick', '--workers', '0');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--workers.*expected an integer in 1\.\.256, got '0'/);
  }, 120_000);

  it('barren-plateau --module host runs circuits wider than the device build holds; the device build refuses them (exit 2)', () => {
    const refused = run('experiment', 'barren-plateau', '--qubits', '11..13', '--out', mkdtempSync(join(tmpdir(), 'qiot-bp-')));
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('--qubits 11: the device build holds 10 qubits (use --module host)');
    const out = mkdtempSync(join(tmpdir(), 'qiot-bp-host-'));
    const r = run(
      'experiment',
      'barren-plateau',
      '--module',
      'host',
      '--quick',
      '--qubits',
      '11..13',
      '--cost',
      'local',
      '--samples',
      '6',
      '--out',
      out,
    );
    expect(r.status, r.stderr).toBe(0);
    const json = JSON.parse(readFileSync(join(out, 'barren-plateau.json'), 'utf8'));
    expect(json.rows.map((row: { qubits: number }) => row.qubits)).toEqual([11, 12, 13]);
    expect(json.options.build).toBe('host');
  }, 120_000);

  it('local-global --quick and nlr --quick write their tables and figures', () => {
    const lg = mkdtempSync(join(tmpdir(), 'qiot-lg-'));
    expect(run('experiment', 'local-global', '--quick', '--out', lg).status).toBe(0);
    expect(readdirSync(lg)).toEqual(
      expect.arrayContaining(['local-global.json', 'local-global.md', 'local-global-cost.svg', 'local-global-cost.png']),
    );
    const nlr = mkdtempSync(join(tmpdir(), 'qiot-nlr-'));
    const r = run('experiment', 'nlr', '--quick', '--out', nlr);
    expect(r.status, r.stderr).toBe(0);
    for (const variant of ['gated', 'periodic', 'stochastic', 'patience']) {
      expect(r.stdout).toMatch(new RegExp(`synthetic +nlr-${variant} +vs sgd +win rate`));
    }
    const files = readdirSync(nlr);
    for (const name of ['nlr.json', 'nlr-sweep.md', 'nlr-summary.md', 'nlr-synthetic-msd.png', 'nlr-plateau-loss-vs-shots.svg']) {
      expect(files).toContain(name);
    }
    expect(readdirSync(join(nlr, 'report'))).toContain('synthetic-nlr-phases.png');
    expect(readdirSync(join(nlr, 'runs', 'synthetic'))).toHaveLength(8 * 3); // 4 NLR variants + 4 baselines, 3 seeds
  });

  it('nlr --nlr-modes restricts the NLR variants and names an unknown one', () => {
    const nlr = mkdtempSync(join(tmpdir(), 'qiot-nlr-'));
    const r = run('experiment', 'nlr', '--quick', '--nlr-modes', 'periodic', '--out', nlr);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/plateau +nlr-periodic +vs adam +win rate/);
    expect(r.stdout).not.toMatch(/nlr-gated/);
    expect(
      readdirSync(join(nlr, 'runs', 'plateau'))
        .filter((f) => f.startsWith('nlr-'))
        .sort(),
    ).toEqual(['nlr-periodic-seed1.jsonl', 'nlr-periodic-seed2.jsonl', 'nlr-periodic-seed3.jsonl']);
    const bad = run('experiment', 'nlr', '--quick', '--nlr-modes', 'gated,cyclic');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--nlr-modes.*got 'cyclic'/);
  });

  it('rejects bad options with exit code 2 and names the problem', () => {
    const r = run('experiment', 'barren-plateau', '--qubits', '2..21');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/qubit counts must be in 1..20, got 21/);
    const device = run('experiment', 'barren-plateau', '--qubits', '2..12');
    expect(device.status).toBe(2);
    expect(device.stderr).toContain('--qubits 11: the device build holds 10 qubits (use --module host)');
  });
});
