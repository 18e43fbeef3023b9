// `qiot sim` and `qiot plot` end to end, as a user runs them: a child process
// on the real build/qiot.wasm.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRunLog } from '../runlog/reader.ts';

const ROOT = new URL('../../../', import.meta.url).pathname;
const QIOT = join(ROOT, 'host/bin/qiot.js');
const IRIS = join(ROOT, 'examples/iris-nlr.json');
const SYNTHETIC = join(ROOT, 'examples/synthetic-nlr.json');
const dir = mkdtempSync(join(tmpdir(), 'qiot-sim-'));

/** Runs in the scratch directory: runs without --out write their default log under dir/runs/. */
function qiot(...args: string[]) {
  const r = spawnSync(process.execPath, [QIOT, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const withoutTiming = <T extends { step_us?: number }>({ step_us: _ignored, ...rest }: T) => rest;

describe('qiot sim', () => {
  it('writes header, one record per step and a summary; the same seed gives identical steps', () => {
    const a = join(dir, 'a.jsonl');
    const b = join(dir, 'b.jsonl');
    const first = qiot('sim', '--config', IRIS, '--steps', '5', '--out', a);
    expect(first.code, first.stderr).toBe(0);
    expect(qiot('sim', '--config', IRIS, '--steps', '5', '--out', b).code).toBe(0);

    const logA = readRunLog(a);
    const logB = readRunLog(b);
    expect(logA.header.target).toEqual({ kind: 'node' });
    expect(logA.header.config.steps).toBe(5);
    expect(logA.header.dataset).toBe('Iris versicolor (+1) vs virginica (−1)');
    expect(logA.steps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5]);
    expect(logA.summary?.status).toBe('completed');
    expect(logA.summary?.steps).toBe(5);
    expect(logA.summary?.final_loss).toBe(logA.steps[4]!.loss);
    expect(logA.summary?.best_loss).toBe(Math.min(...logA.steps.map((s) => s.loss!)));
    // step_us is a wall-clock measurement; everything the module computed must match bit for bit.
    expect(logB.steps.map(withoutTiming)).toEqual(logA.steps.map(withoutTiming));
    expect(logB.summary?.train_loss).toBe(logA.summary?.train_loss);
  });

  it('always writes a run log: a default path when no --out, never over an existing log without --force; θ in the summary', () => {
    const first = qiot('sim', '--config', IRIS, '--steps', '2');
    expect(first.code, first.stderr).toBe(0);
    const path = /qiot: run log (\S+)/.exec(first.stderr)?.[1];
    expect(path).toMatch(/^runs\/\d{4}-\d{2}-\d{2}-iris-nlr-s\d+\.jsonl$/);
    const log = readRunLog(join(dir, path!));
    expect(log.summary?.params).toHaveLength(log.summary!.param_count!);
    expect(log.summary!.param_count).toBeGreaterThan(0);
    // A second default run takes the next free name instead of replacing the first.
    const second = qiot('sim', '--config', IRIS, '--steps', '2');
    expect(/qiot: run log (\S+)/.exec(second.stderr)?.[1]).toBe(path!.replace('.jsonl', '-2.jsonl'));

    const before = readFileSync(join(dir, 'a.jsonl'), 'utf8');
    const refused = qiot('sim', '--config', IRIS, '--steps', '1', '--out', join(dir, 'a.jsonl'));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/a\.jsonl: already exists: pass --force/);
    expect(readFileSync(join(dir, 'a.jsonl'), 'utf8')).toBe(before);
    const forced = qiot('sim', '--config', IRIS, '--steps', '1', '--out', join(dir, 'forced.jsonl'));
    expect(forced.code).toBe(0);
    expect(qiot('sim', '--config', IRIS, '--steps', '2', '--out', join(dir, 'forced.jsonl'), '--force').code).toBe(0);
    expect(readRunLog(join(dir, 'forced.jsonl')).steps).toHaveLength(2);
  });

  it('decodes each step record from its raw bytes consistently', () => {
    const log = readRunLog(join(dir, 'a.jsonl'));
    for (const s of log.steps) {
      const raw = Buffer.from(s.raw, 'hex');
      expect(raw.readUInt32LE(0)).toBe(s.step);
      expect(raw.readUInt32LE(8)).toBe(s.phase === '-' ? 1 : 0);
      expect(raw.readDoubleLE(32)).toBe(s.loss);
      expect(raw.readDoubleLE(40)).toBe(s.grad_norm);
    }
  });

  it('changes the trajectory with another seed', () => {
    const out = join(dir, 'seed7.jsonl');
    expect(qiot('sim', '--config', IRIS, '--steps', '2', '--seed', '7', '--out', out).code).toBe(0);
    const other = readRunLog(out);
    expect(other.header.config.seed).toBe(7);
    expect(other.steps[0]!.raw).not.toBe(readRunLog(join(dir, 'a.jsonl')).steps[0]!.raw);
  });

  it('prints the run log records on stdout with --json', () => {
    const r = qiot('sim', '--config', IRIS, '--steps', '3', '--json');
    expect(r.code).toBe(0);
    const types = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).type);
    expect(types).toEqual(['header', 'step', 'step', 'step', 'summary']);
  });

  it('--compare starts every optimizer from the same θ₀ (identical step-1 loss) and writes one log each', () => {
    const out = join(dir, 'compare');
    const r = qiot('sim', '--config', IRIS, '--steps', '3', '--compare', 'nlr,sgd,adam,spsa', '--out', out, '--json');
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.map((row) => row.optimizer)).toEqual(['nlr', 'sgd', 'adam', 'spsa']);
    const logs = ['nlr', 'sgd', 'adam', 'spsa'].map((name) => readRunLog(join(out, `${name}.jsonl`)));
    const firstLosses = logs.map((log) => log.steps[0]!.loss);
    expect(new Set(firstLosses).size).toBe(1);
    expect(rows.map((row) => row.initial_loss)).toEqual(firstLosses);
    expect(logs.map((log) => log.header.config.optimizer.name)).toEqual(['nlr', 'sgd', 'adam', 'spsa']);
    // Different optimizers, different updates: by step 3 the losses have parted.
    expect(new Set(logs.map((log) => log.steps[2]!.loss)).size).toBeGreaterThan(1);
  });

  it('--compare on a sampled config: equal shot budgets (not equal steps), --seeds, overlay figures', () => {
    const out = join(dir, 'compare-shots');
    const budget = 500_000;
    const r = qiot(
      'sim',
      '--config',
      SYNTHETIC,
      '--compare',
      'nlr,spsa',
      '--seeds',
      '1..2',
      '--budget',
      String(budget),
      '--out',
      out,
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.map((row) => `${row.optimizer}/${row.seed}`)).toEqual(['nlr/1', 'spsa/1', 'nlr/2', 'spsa/2']);
    for (const row of rows) {
      const log = readRunLog(join(out, `${row.optimizer}-s${row.seed}.jsonl`));
      const shots = log.steps.map((s) => s.shots_total);
      const perStep = shots.at(-1)! - (shots.at(-2) ?? 0);
      // Each run spent the budget: what is left is less than one more step would cost.
      expect(row.status).toBe('budget_exhausted');
      expect(row.shots).toBeLessThanOrEqual(budget);
      expect(budget - row.shots).toBeLessThan(perStep);
      expect(row.shots).toBe(shots.at(-1));
    }
    // Equal shots, not equal steps: SPSA's cheap steps buy it many more of them.
    const steps = (name: string) => rows.find((row) => row.optimizer === name && row.seed === 1).steps;
    expect(steps('spsa')).toBeGreaterThan(5 * steps('nlr'));
    // Per seed, one θ₀ for every optimizer.
    expect(rows[0].initial_loss).toBe(rows[1].initial_loss);
    expect(rows[2].initial_loss).toBe(rows[3].initial_loss);
    expect(existsSync(join(out, 'compare-loss.svg')) && existsSync(join(out, 'compare-loss.png'))).toBe(true);
    expect(readFileSync(join(out, 'compare-loss.svg'), 'utf8')).toContain('shots used');
  });

  it('--seeds needs --compare', () => {
    const r = qiot('sim', '--config', IRIS, '--seeds', '1..3');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--seeds goes with --compare');
  });

  it('exits 2 naming the bad field, and writes no run log', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ qubits: 4, optimizer: { lr: -1 } }));
    const out = join(dir, 'never.jsonl');
    const r = qiot('sim', '--config', bad, '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('optimizer.lr: must be > 0 (got -1)');
    expect(existsSync(out)).toBe(false);
  });

  it('--module host trains beyond the device capacities, which the device build refuses naming the field', () => {
    const wide = join(dir, 'wide.json');
    writeFileSync(wide, JSON.stringify({ qubits: 12, layers: 1, steps: 2 }));
    const out = join(dir, 'wide.jsonl');
    const host = qiot('sim', '--config', wide, '--module', 'host', '--out', out, '--no-chart');
    expect(host.code, host.stderr).toBe(0);
    const log = readRunLog(out);
    expect(log.header.config.qubits).toBe(12);
    expect(log.header.config.optimizer.gradient).toBe('adjoint');
    expect(log.summary?.status).toBe('completed');
    const device = qiot('sim', '--config', wide, '--no-chart');
    expect(device.code).toBe(2);
    expect(device.stderr).toContain('qubits: must be ≤ 10 (got 12)');
  });

  it('exits 2 on usage errors', () => {
    expect(qiot('sim', '--config', IRIS, '--steps', 'many').code).toBe(2);
    const r = qiot('sim', '--config', IRIS, '--compare', 'nlr,rmsprop');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown optimizer 'rmsprop'");
  });

  it('stops after the current step on SIGINT, still writes the summary, and exits 130', async () => {
    const out = join(dir, 'interrupted.jsonl');
    const code = await interruptOnceWritten(['sim', '--config', IRIS, '--steps', '1000000', '--out', out], [out]);
    expect(code).toBe(130);
    const log = readRunLog(out);
    expect(log.summary?.status).toBe('interrupted');
    expect(log.summary?.steps).toBe(log.steps.length);
    expect(log.steps.length).toBeGreaterThan(0);
  });
});

describe('qiot sim --compare --workers', () => {
  /** A run log's text with its wall-time fields (start time, step and run durations) blanked. */
  const withoutWallTimes = (path: string) => readFileSync(path, 'utf8').replace(/"(started_at|step_us|wall_time_s)":[^,}]*/g, '"$1":_');

  it('2 optimizers × 2 seeds on 2 worker threads: the same files as one after another in this process', () => {
    const [pooled, sequential] = [join(dir, 'cmp-w2'), join(dir, 'cmp-w1')];
    const args = ['sim', '--config', SYNTHETIC, '--compare', 'nlr,spsa', '--seeds', '3..4', '--budget', '200000'];
    const a = qiot(...args, '--workers', '2', '--out', pooled);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stderr).toContain('4 runs on 2 worker threads');
    const b = qiot(...args, '--workers', '1', '--out', sequential);
    expect(b.code, b.stderr).toBe(0);
    expect(a.stdout.split('\n').filter((l) => l.includes(': budget_exhausted')).length).toBe(4); // a summary line per run
    const files = readdirSync(sequential).sort();
    expect(readdirSync(pooled).sort()).toEqual(files);
    expect(files.filter((f) => f.endsWith('.jsonl'))).toEqual(['nlr-s3.jsonl', 'nlr-s4.jsonl', 'spsa-s3.jsonl', 'spsa-s4.jsonl']);
    expect(files).toContain('compare-loss.png');
    for (const f of files) {
      if (f.endsWith('.jsonl')) expect(withoutWallTimes(join(pooled, f)), f).toBe(withoutWallTimes(join(sequential, f)));
      else expect(readFileSync(join(pooled, f)).equals(readFileSync(join(sequential, f))), f).toBe(true);
    }
    // The tables (stdout's last lines) agree too.
    const tables = (stdout: string) => stdout.slice(stdout.indexOf('optimizer')).replaceAll(pooled, sequential);
    expect(tables(a.stdout)).toBe(tables(b.stdout));
  });

  it('SIGINT stops the running runs after their current step (interrupted summaries), starts no more, exits 130', async () => {
    const out = join(dir, 'cmp-interrupted');
    const [first, second] = [join(out, 'nlr-s1.jsonl'), join(out, 'adam-s1.jsonl')];
    const args = ['sim', '--config', IRIS, '--steps', '1000000', '--compare', 'nlr,adam', '--seeds', '1..2', '--workers', '2'];
    const code = await interruptOnceWritten([...args, '--out', out], [first, second]);
    expect(code).toBe(130);
    for (const path of [first, second]) {
      const log = readRunLog(path);
      expect(log.summary?.status).toBe('interrupted');
      expect(log.summary?.steps).toBe(log.steps.length);
    }
    // Seed 2's runs were queued behind them: never started, no log.
    expect(existsSync(join(out, 'nlr-s2.jsonl')) || existsSync(join(out, 'adam-s2.jsonl'))).toBe(false);
  });

  it('--workers goes with --compare only', () => {
    const r = qiot('sim', '--config', IRIS, '--workers', '2');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--workers goes with --compare');
    expect(qiot('sim', '--config', IRIS, '--compare', 'nlr', '--workers', '0').code).toBe(2);
  });
});

/** Starts `qiot ARGS`, sends SIGINT once every log in `logs` has steps, and returns the exit code. */
async function interruptOnceWritten(args: string[], logs: string[]): Promise<number | null> {
  const child = spawn(process.execPath, [QIOT, ...args], { cwd: ROOT });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  try {
    await new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const poll = setInterval(() => {
        if (logs.every((out) => existsSync(out) && readFileSync(out, 'utf8').split('\n').length > 3)) {
          clearInterval(poll);
          child.kill('SIGINT');
          resolve();
        } else if (child.exitCode !== null || Date.now() - started > 30_000) {
          clearInterval(poll);
          reject(new Error(`no steps in ${logs.join(', ')} within 30 s (exit code ${child.exitCode})`));
        }
      }, 50);
    });
  } catch (err) {
    child.kill('SIGKILL'); // a million-step run must not outlive the failed test
    throw err;
  }
  return exited;
}

describe('qiot plot', () => {
  it('writes an SVG and a PNG of a run log', () => {
    const base = join(dir, 'plot-out');
    const r = qiot('plot', join(dir, 'a.jsonl'), '--out', `${base}.svg`);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(`${base}.svg`, 'utf8')).toMatch(/^<svg/);
    expect(readFileSync(`${base}.png`).subarray(1, 4).toString()).toBe('PNG');
  });

  it('names the bad line of a broken run log and exits 2', () => {
    const broken = join(dir, 'broken.jsonl');
    const lines = readFileSync(join(dir, 'a.jsonl'), 'utf8').split('\n');
    lines[2] = '{"type":"step"}';
    writeFileSync(broken, lines.join('\n'));
    const r = qiot('plot', broken);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/broken\.jsonl:3: invalid step record/);
  });
});
