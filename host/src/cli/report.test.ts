import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.ts';
import { runBarrenPlateau } from '../experiments/barren-plateau.ts';
import { openSession } from '../experiments/session.ts';
import { runTrajectory } from '../experiments/trajectory.ts';
import { writeRunLog } from '../experiments/run-logs.ts';

const QIOT = new URL('../../bin/qiot.js', import.meta.url).pathname;
const run = (...args: string[]) => spawnSync(process.execPath, [QIOT, ...args], { encoding: 'utf8' });

async function smallRunLog(dir: string, optimizer: 'nlr' | 'sgd', seed: number, nlrMode: 'gated' | 'periodic' = 'gated'): Promise<string> {
  const config = parseConfig({
    qubits: 2,
    layers: 1,
    cost: 'local',
    seed,
    steps: 6,
    optimizer: { name: optimizer, lr: 0.3, nlr: { mode: nlrMode, period: 2 } },
  });
  const session = await openSession(config);
  const trajectory = runTrajectory(session, config.steps);
  const path = join(dir, `${optimizer}${optimizer === 'nlr' && nlrMode !== 'gated' ? `-${nlrMode}` : ''}-${seed}.jsonl`);
  writeRunLog(path, {
    config,
    dataset: null,
    trajectory,
    trainLoss: session.evaluate(0),
    testLoss: NaN,
    testAccuracy: NaN,
    paramCount: session.paramCount,
    wallTimeS: 0,
  });
  return path;
}

describe('qiot report', () => {
  it('turns run logs into loss, gradient-norm and NLR-phase figures (SVG + PNG) and a Markdown table', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qiot-report-'));
    const logs = [
      await smallRunLog(dir, 'nlr', 1),
      await smallRunLog(dir, 'nlr', 2),
      await smallRunLog(dir, 'sgd', 1),
      await smallRunLog(dir, 'nlr', 1, 'periodic'),
    ];
    const out = join(dir, 'out');
    const r = run('report', ...logs, '--out', out, '--title', 'small');
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual([
      'grad-norm.png',
      'grad-norm.svg',
      'loss.png',
      'loss.svg',
      'nlr-phases.png',
      'nlr-phases.svg',
      'runs.md',
    ]);
    expect(readFileSync(join(out, 'loss.svg'), 'utf8')).toMatch(/^<svg/);
    expect(readFileSync(join(out, 'loss.png')).subarray(1, 4).toString()).toBe('PNG');
    const md = readFileSync(join(out, 'runs.md'), 'utf8');
    expect(md.match(/^\| (nlr|sgd|nlr-periodic)-\d\.jsonl/gm)).toHaveLength(4);
    // NLR runs of different modes are separate groups even at the same learning rate.
    expect(md).toContain('| nlr-gated lr=0.3 local n=2 | 2 |');
    expect(md).toContain('| nlr-periodic lr=0.3 local n=2 | 1 |');
  });

  it('draws the variance-vs-qubits plot from a barren-plateau result', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qiot-report-'));
    const result = await runBarrenPlateau({
      qubits: [2, 3, 4],
      samples: 12,
      layers: 4,
      costs: ['global'],
      seedBase: 1,
      bootstrapResamples: 100,
    });
    const path = join(dir, 'bp.json');
    writeFileSync(path, JSON.stringify(result));
    const out = join(dir, 'out');
    const r = run('report', path, '--out', out);
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(out)).toEqual(
      expect.arrayContaining(['barren-plateau-variance.svg', 'barren-plateau-variance.png', 'barren-plateau.md']),
    );
    expect(readFileSync(join(out, 'barren-plateau.md'), 'utf8')).toMatch(/\| global \| all \(n = 2…4\) \| -/);
  });

  it('refuses a file that is neither a run log nor a barren-plateau result', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qiot-report-'));
    const other = join(dir, 'x.json');
    writeFileSync(other, '{"hello": 1}');
    const r = run('report', other, '--out', join(dir, 'out'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('not a barren-plateau result');
  });

  it('refuses a malformed run log with exit code 2 naming the line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qiot-report-'));
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"type":"step"}\n');
    const r = run('report', bad, '--out', join(dir, 'out'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('bad.jsonl:1');
  });
});
