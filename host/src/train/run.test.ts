// runTraining against scripted targets: what reaches the run log when a run
// completes, is interrupted, fails, or is refused.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.ts';
import type { HeaderRecord, RunLogRecord, StepRecord } from '../runlog/schema.ts';
import { planResume } from './resume.ts';
import { runTraining } from './run.ts';
import { ConfigRejectedError, type StepTelemetry, type TargetSummary, type TrainingTarget } from './target.ts';

/** A telemetry record laid out by hand from the table in docs/abi.md. */
function telemetry(step: number, loss: number, phase: 0 | 1, shotsTotal = 0): Uint8Array {
  const raw = new Uint8Array(64);
  const v = new DataView(raw.buffer);
  v.setUint32(0, step, true);
  v.setUint32(4, 0, true);
  v.setUint32(8, phase, true);
  v.setUint32(12, 9, true);
  v.setBigUint64(16, 100n, true);
  v.setBigUint64(24, BigInt(shotsTotal), true);
  v.setFloat64(32, loss, true);
  v.setFloat64(40, 2 * loss, true);
  v.setFloat64(48, 0.01, true);
  v.setFloat64(56, NaN, true);
  return raw;
}

class ScriptedTarget implements TrainingTarget {
  stopped = false;
  configured: [Uint8Array, Uint8Array] | null = null;
  constructor(
    private readonly losses: number[],
    private readonly behaviour: { failAfter?: number; stopAfter?: () => void; rejectAtConfigure?: boolean } = {},
  ) {}
  async identity() {
    return { target: { kind: 'node' as const }, moduleSha256: '0'.repeat(64), abiVersion: 1 };
  }
  async configure(config: Uint8Array, dataset: Uint8Array) {
    if (this.behaviour.rejectAtConfigure) throw new ConfigRejectedError(2, 'qubits: must be 1..10');
    this.configured = [config, dataset];
  }
  async train(steps: number, onStep: (s: StepTelemetry) => void): Promise<TargetSummary> {
    let i = 0;
    for (; i < Math.min(steps, this.losses.length); i++) {
      if (this.stopped) break;
      if (this.behaviour.failAfter === i) throw new Error('port /dev/pts/9 vanished');
      onStep({ raw: telemetry(i + 1, this.losses[i]!, (i % 3 === 2 ? 1 : 0) as 0 | 1, 100 * (i + 1)), stepUs: 5 });
      if (i === 0) this.behaviour.stopAfter?.();
    }
    return {
      status: this.stopped ? 'stopped' : 'completed',
      trainLoss: 0.5,
      testLoss: 0.6,
      testAccuracy: 0.75,
      shotsTotal: 100 * i,
      paramCount: 12,
    };
  }
  stop() {
    this.stopped = true;
  }
}

const cfg = parseConfig({ steps: 4, cost: 'class-sq', dataset: { name: 'synthetic', samples: 20 } });

async function collect(target: TrainingTarget, signal?: AbortSignal) {
  const records: RunLogRecord[] = [];
  const result = await runTraining(target, cfg, { qiotVersion: 't', sinks: [(r) => records.push(r)], signal });
  return { records, result };
}

describe('runTraining', () => {
  it('sends the encoded config and the packed dataset to the target', async () => {
    const target = new ScriptedTarget([1, 0.8, 0.9, 0.7]);
    await collect(target);
    const [config, dataset] = target.configured!;
    expect(config.byteLength).toBe(192);
    const view = new DataView(config.buffer, config.byteOffset);
    expect(view.getUint32(48, true) + view.getUint32(52, true)).toBe(20); // n_train + n_test
    expect(dataset.byteLength).toBe(20 * (4 + 1) * 4); // 20 samples × (4 features + label) × f32
  });

  it('writes header, every step and a summary computed from the steps', async () => {
    const { records, result } = await collect(new ScriptedTarget([1, 0.8, 0.9, 0.7]));
    expect(records.map((r) => r.type)).toEqual(['header', 'step', 'step', 'step', 'step', 'summary']);
    const steps = records.filter((r): r is StepRecord => r.type === 'step');
    expect(steps.map((s) => s.phase)).toEqual(['+', '+', '-', '+']);
    expect(steps[0]!.trial_loss).toBeNull();
    expect(steps[1]!.grad_norm).toBe(1.6);
    expect(result.summary).toMatchObject({
      status: 'completed',
      steps: 4,
      final_loss: 0.7,
      best_loss: 0.7,
      train_loss: 0.5,
      test_loss: 0.6,
      test_accuracy: 0.75,
      shots_used: 400,
      param_count: 12,
    });
    expect(result.summary.mean_grad_norm).toBeCloseTo((2 + 1.6 + 1.8 + 1.4) / 4, 12);
  });

  it('marks a run stopped through the signal as interrupted', async () => {
    const controller = new AbortController();
    const { result } = await collect(new ScriptedTarget([1, 0.8, 0.9], { stopAfter: () => controller.abort() }), controller.signal);
    expect(result.summary.status).toBe('interrupted');
    expect(result.summary.steps).toBe(1);
  });

  it('still writes a summary when the target fails mid-run', async () => {
    const { records, result } = await collect(new ScriptedTarget([1, 0.8, 0.9], { failAfter: 2 }));
    expect(records.map((r) => r.type)).toEqual(['header', 'step', 'step', 'summary']);
    expect(result.summary).toMatchObject({ status: 'failed', steps: 2, error: 'port /dev/pts/9 vanished', final_loss: 0.8 });
  });

  it('summarises a run longer than Math.min(...losses) can take', async () => {
    const steps = 200_000;
    const losses = Array.from({ length: steps }, (_, i) => 1 + Math.sin(i));
    const long = parseConfig({ steps, cost: 'class-sq', dataset: { name: 'synthetic', samples: 20 } });
    const { summary } = await runTraining(new ScriptedTarget(losses), long, { qiotVersion: 't', sinks: [] });
    const expectedBest = losses.reduce((a, b) => Math.min(a, b));
    expect(summary).toMatchObject({ status: 'completed', steps, best_loss: expectedBest, final_loss: losses[steps - 1] });
  });

  it('writes nothing when the target refuses the config', async () => {
    const records: RunLogRecord[] = [];
    const target = new ScriptedTarget([1], { rejectAtConfigure: true });
    await expect(runTraining(target, cfg, { qiotVersion: 't', sinks: [(r) => records.push(r)] })).rejects.toThrow(
      'the module rejected the config: qubits: must be 1..10 (error 2)',
    );
    expect(records).toEqual([]);
  });

  describe('resume', () => {
    const logged = async (losses: number[]) => {
      const { records } = await collect(new ScriptedTarget(losses));
      const steps = records.filter((r): r is StepRecord => r.type === 'step');
      return { header: records[0] as HeaderRecord, steps, summary: null };
    };

    it('emits nothing until the logged steps are recomputed, then the logged records and the new ones', async () => {
      const log = await logged([1, 0.8]);
      const records: RunLogRecord[] = [];
      let resumedAfter = -1;
      const plan = planResume('a.jsonl', log);
      const result = await runTraining(new ScriptedTarget([1, 0.8, 0.9, 0.7]), cfg, {
        qiotVersion: 't',
        sinks: [(r) => records.push(r)],
        resume: plan,
        onResumed: () => {
          resumedAfter = records.length;
        },
      });
      expect(resumedAfter).toBe(3); // header + the two logged steps
      expect(records.map((r) => (r.type === 'step' ? r.step : r.type))).toEqual(['header', 1, 2, 3, 4, 'summary']);
      expect(records[1]).toBe(log.steps[0]); // the logged record itself (its step_us), not the recomputed one
      expect(result.summary).toMatchObject({ steps: 4, final_loss: 0.7, best_loss: 0.7 });
    });

    it('leaves the log alone when Ctrl-C comes while the logged steps are recomputed', async () => {
      const log = await logged([1, 0.8, 0.9]);
      const controller = new AbortController();
      const records: RunLogRecord[] = [];
      const target = new ScriptedTarget([1, 0.8, 0.9, 0.7], { stopAfter: () => controller.abort() });
      await expect(
        runTraining(target, cfg, {
          qiotVersion: 't',
          sinks: [(r) => records.push(r)],
          resume: planResume('a.jsonl', log),
          signal: controller.signal,
        }),
      ).rejects.toMatchObject({
        kind: 'interrupted',
        message: 'resume of a.jsonl interrupted after recomputing 1 of the 3 logged steps; the run log is unchanged',
      });
      expect(records).toEqual([]);
    });

    it('refuses a target whose module is not the logged one', async () => {
      const log = await logged([1]);
      const other = { ...log, header: { ...log.header, module_sha256: '1'.repeat(64) } };
      await expect(
        runTraining(new ScriptedTarget([1, 2]), cfg, { qiotVersion: 't', sinks: [], resume: planResume('a.jsonl', other) }),
      ).rejects.toThrow(/^cannot resume a\.jsonl: the run used module sha256 1111111111111111…, this target has 0000000000000000…$/);
    });
  });
});
