import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.ts';
import { parseRunLog, readRunLog, RunLogError } from './reader.ts';
import type { HeaderRecord, StepRecord, SummaryRecord } from './schema.ts';
import { RunLogWriter } from './writer.ts';

const dir = mkdtempSync(join(tmpdir(), 'qiot-runlog-'));

const header: HeaderRecord = {
  type: 'header',
  qiot_version: '0.1.0',
  module_sha256: 'ab'.repeat(32),
  abi_version: 1,
  config: parseConfig({ steps: 2 }),
  dataset: null,
  target: { kind: 'board', board: 'posix', firmware_version: '0.1.0', port: '/dev/pts/3' },
  started_at: '2026-11-25T00:00:00.000Z',
};

const step = (n: number, loss: number, trial: number): StepRecord => ({
  type: 'step',
  step: n,
  loss,
  grad_norm: 0.25,
  phase: n % 2 ? '+' : '-',
  shots: 0,
  shots_total: 0,
  evals: 17,
  step_norm: 0.025,
  trial_loss: trial,
  status: 'ok',
  step_us: 120,
  raw: n.toString(16).padStart(2, '0').repeat(64),
});

const summary: SummaryRecord = {
  type: 'summary',
  status: 'completed',
  steps: 2,
  final_loss: 0.4,
  best_loss: 0.4,
  train_loss: 0.39,
  test_loss: NaN,
  test_accuracy: NaN,
  shots_used: 0,
  mean_grad_norm: 0.25,
  param_count: 16,
  wall_time_s: 0.01,
};

describe('run log', () => {
  it('round-trips header, steps and summary, turning NaN into null', () => {
    const path = join(dir, 'round.jsonl');
    const writer = new RunLogWriter(path);
    writer.write(header);
    writer.write(step(1, 0.5, NaN));
    writer.write(step(2, 0.4, 0.41));
    writer.write(summary);
    writer.close();

    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(JSON.parse(lines[1]!).trial_loss).toBeNull();

    const log = readRunLog(path);
    expect(log.header).toEqual(header);
    expect(log.steps).toEqual([{ ...step(1, 0.5, NaN), trial_loss: null }, step(2, 0.4, 0.41)]);
    expect(log.summary).toEqual({ ...summary, test_loss: null, test_accuracy: null });
  });

  it('refuses to write a header or summary that breaks the schema; a bad step record is refused when read', () => {
    const path = join(dir, 'refuse.jsonl');
    const writer = new RunLogWriter(path);
    expect(() => writer.write({ ...header, module_sha256: 'xyz' })).toThrow(/module_sha256/);
    expect(() => writer.write({ ...summary, steps: -1 })).toThrow(/steps/);
    writer.write(header);
    writer.write({ ...step(1, 0.5, 0.5), raw: 'xyz' }); // steps come from stepRecordFromTelemetry, checked by its tests
    writer.close();
    expect(() => readRunLog(path)).toThrow(/refuse\.jsonl:2: invalid step record: raw/);
  });

  it('reads a log without a summary (killed process) with summary null', () => {
    const text = [header, step(1, 0.5, 0.5)].map((r) => JSON.stringify(r)).join('\n');
    expect(parseRunLog(text).summary).toBeNull();
  });

  const lines = () => [header, step(1, 0.5, 0.5), step(2, 0.4, 0.4), summary].map((r) => JSON.stringify(r));
  const errorOf = (text: string) => {
    try {
      parseRunLog(text, 'bad.jsonl');
    } catch (err) {
      if (err instanceof RunLogError) return err;
      throw err;
    }
    throw new Error('accepted');
  };

  it('names the line and field of an invalid record', () => {
    const l = lines();
    l[2] = JSON.stringify({ ...step(2, 0.4, 0.4), phase: 'x' });
    const err = errorOf(l.join('\n'));
    expect(err.line).toBe(3);
    expect(err.message).toBe("bad.jsonl:3: invalid step record: phase: must be one of '+', '-' (got 'x')");
  });

  it('names the line of broken JSON', () => {
    const l = lines();
    l[1] = l[1]!.slice(0, 20);
    expect(errorOf(l.join('\n')).message).toMatch(/^bad\.jsonl:2: not valid JSON/);
  });

  it('rejects records out of order', () => {
    const l = lines();
    expect(errorOf([l[1], l[0]].join('\n')).message).toMatch(/:1: the first record must be the header/);
    expect(errorOf([...l, l[1]].join('\n')).message).toMatch(/:5: step record after the summary/);
    expect(errorOf([l[0], l[2], l[1]].join('\n')).message).toMatch(/:3: step 1 does not follow step 2/);
    expect(errorOf('').message).toMatch(/:1: empty run log/);
  });

  it('uses every complete record of a torn log and warns naming the file and line', () => {
    const l = lines().slice(0, 3);
    const path = join(dir, 'torn.jsonl');
    writeFileSync(path, `${l.join('\n')}\n${JSON.stringify(summary).slice(0, 30)}`);
    const warnings: string[] = [];
    const log = readRunLog(path, (m) => warnings.push(m));
    expect(log.steps.map((s) => s.step)).toEqual([1, 2]);
    expect(log.summary).toBeNull();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      new RegExp(
        `^${path.replace(/[.]/g, '\\.')}:4: torn last record skipped \\(not valid JSON: .*\\); using the 3 complete records before it$`,
      ),
    );
    expect(log.warnings).toEqual(warnings);
  });

  it('reads a complete log without a final newline and without warnings', () => {
    const log = parseRunLog(lines().join('\n'));
    expect(log.summary?.status).toBe('completed');
    expect(log.warnings).toEqual([]);
  });

  it('still refuses a broken line that is not the last, and a torn header', () => {
    const l = lines();
    l[1] = l[1]!.slice(0, 20);
    expect(errorOf(l.join('\n')).line).toBe(2);
    expect(errorOf(l[0]!.slice(0, 40)).message).toMatch(/^bad\.jsonl:1: torn header record/);
  });

  it('names an unknown record type', () => {
    const l = lines();
    l[1] = JSON.stringify({ ...step(1, 0.5, 0.5), type: 'stepz' });
    expect(errorOf(l.join('\n')).message).toBe(
      "bad.jsonl:2: invalid record: type: must be one of 'header', 'step', 'summary' (got 'stepz')",
    );
  });

  it('names a missing file', () => {
    expect(() => readRunLog(join(dir, 'none.jsonl'))).toThrow(/none\.jsonl: no such file$/);
  });

  it('names a run log path that cannot be created', () => {
    expect(() => new RunLogWriter(dir)).toThrow(`${dir}: cannot create the run log: is a directory (EISDIR)`);
  });

  it('rejects unknown keys in a record', () => {
    const path = join(dir, 'extra.jsonl');
    writeFileSync(path, [lines()[0], JSON.stringify({ ...step(1, 1, 1), extra: 1 })].join('\n'));
    expect(() => readRunLog(path)).toThrow(/extra\.jsonl:2: invalid step record: extra: unknown key/);
  });
});
