// stepRecordFromTelemetry against the run log schema: the writer does not validate step
// records one by one (runlog/writer.ts), so every record this builder makes must pass it —
// from real runs (exact, shots, a layerwise schedule's renumbered
// records) and from records with NaN/∞ values, the ascent phase and extreme counts.
import { describe, expect, it } from 'vitest';
import { MODULE_PATH } from '../../testing/harness.ts';
import { parseConfig } from '../config/load.ts';
import { StepRecordSchema } from '../runlog/schema.ts';
import { TELEMETRY_LAYOUT } from '../wasm/abi.ts';
import { decodeTelemetry } from '../wasm/telemetry.ts';
import { readModuleImage, ModuleTarget } from './module-target.ts';
import { runTraining } from './run.ts';
import { stepRecordFromTelemetry } from './step-record.ts';

const asWritten = (r: unknown) => StepRecordSchema.parse(JSON.parse(JSON.stringify(r)));

const iris = {
  qubits: 4,
  layers: 2,
  ansatz: 'hea',
  cost: 'class-sq',
  dataset: { name: 'iris', pair: 'versicolor-virginica', test_fraction: 0.25 },
  optimizer: { name: 'nlr', lr: 0.6, nlr: { mode: 'gated', ratio: 0.5 } },
  steps: 12,
  seed: 3,
};

describe('stepRecordFromTelemetry', () => {
  it.each([
    ['exact NLR', iris],
    ['shots', { ...iris, optimizer: { name: 'sgd', lr: 0.3 }, shots: { per_eval: 100, budget: 1_000_000 } }],
    ['layerwise schedule', { ...iris, layers: 3, schedule: { kind: 'layerwise', groups: 3, final_phase: true } }],
  ])('makes records the schema accepts, equal to the decoded telemetry (%s)', async (_, raw) => {
    const image = await readModuleImage(MODULE_PATH);
    const records: unknown[] = [];
    await runTraining(new ModuleTarget(image), parseConfig(raw, 'test'), {
      qiotVersion: 'test',
      sinks: [(r) => r.type === 'step' && records.push(r)],
    });
    expect(records.length).toBeGreaterThan(0);
    for (const r of records) {
      const step = asWritten(r);
      const t = decodeTelemetry(Buffer.from(step.raw, 'hex'));
      expect(step.loss).toBe(Number.isFinite(t.loss) ? t.loss : null);
      expect(step.evals).toBe(t.evals);
    }
  });

  it('writes NaN and ∞ as null and keeps counts up to 2^53 − 1', () => {
    const raw = new Uint8Array(64);
    const view = new DataView(raw.buffer);
    view.setUint32(TELEMETRY_LAYOUT.step[0], 7, true);
    view.setUint32(TELEMETRY_LAYOUT.phase[0], 1, true);
    view.setBigUint64(TELEMETRY_LAYOUT.shotsTotal[0], 2n ** 53n - 1n, true);
    view.setFloat64(TELEMETRY_LAYOUT.loss[0], NaN, true);
    view.setFloat64(TELEMETRY_LAYOUT.gradNorm[0], Infinity, true);
    view.setFloat64(TELEMETRY_LAYOUT.stepNorm[0], -Infinity, true);
    view.setFloat64(TELEMETRY_LAYOUT.trialLoss[0], 0.25, true);
    const step = asWritten(stepRecordFromTelemetry(raw, 12));
    expect(step).toMatchObject({
      step: 7,
      loss: null,
      grad_norm: null,
      step_norm: null,
      trial_loss: 0.25,
      phase: '-',
      shots_total: 2 ** 53 - 1,
      step_us: 12,
    });
    expect(() => stepRecordFromTelemetry(raw.map((b, i) => (i === TELEMETRY_LAYOUT.status[0] ? 9 : b)))).toThrow(/unknown status 9/);
  });
});
