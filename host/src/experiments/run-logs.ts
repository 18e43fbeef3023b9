// Writes experiment runs as standard run logs (runlog/), so `qiot report` and
// every other log reader see them like any `qiot sim` run.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { RunConfig } from '../config/schema.ts';
import { QIOT_VERSION } from '../version.ts';
import type { RunStatus } from '../runlog/schema.ts';
import { RunLogWriter } from '../runlog/writer.ts';
import { minimum } from '../stats/descriptive.ts';
import { stepRecordFromTelemetry } from '../train/step-record.ts';
import { ABI_VERSION } from '../wasm/abi.ts';
import { moduleBuildPath } from '../wasm/builds.ts';
import type { StopReason, Trajectory } from './trajectory.ts';

let moduleHash: string | null = null;

export function moduleSha256(): string {
  moduleHash ??= createHash('sha256')
    .update(readFileSync(moduleBuildPath('device')))
    .digest('hex');
  return moduleHash;
}

export interface LoggedRun {
  config: RunConfig;
  dataset: string | null;
  trajectory: Trajectory;
  trainLoss: number;
  testLoss: number;
  testAccuracy: number;
  paramCount: number;
  wallTimeS: number;
}

const RUN_STATUS: Record<StopReason, RunStatus> = { steps: 'completed', budget: 'budget_exhausted', numeric: 'numeric' };
const orNull = (v: number) => (Number.isFinite(v) ? v : null);

export function writeRunLog(path: string, run: LoggedRun): void {
  const writer = new RunLogWriter(path);
  try {
    writer.write({
      type: 'header',
      qiot_version: QIOT_VERSION,
      module_sha256: moduleSha256(),
      abi_version: ABI_VERSION,
      config: run.config,
      dataset: run.dataset,
      target: { kind: 'node' },
      started_at: new Date().toISOString(),
    });
    for (const s of run.trajectory.steps) writer.write(stepRecordFromTelemetry(s.raw));
    const steps = run.trajectory.steps;
    const losses = steps.map((s) => s.loss).filter(Number.isFinite);
    const grads = steps.map((s) => s.gradNorm).filter(Number.isFinite);
    writer.write({
      type: 'summary',
      status: RUN_STATUS[run.trajectory.stop],
      steps: steps.length,
      final_loss: orNull(steps.at(-1)?.loss ?? NaN),
      best_loss: losses.length ? minimum(losses) : null,
      train_loss: orNull(run.trainLoss),
      test_loss: orNull(run.testLoss),
      test_accuracy: orNull(run.testAccuracy),
      shots_used: steps.at(-1)?.shotsTotal ?? 0,
      mean_grad_norm: grads.length ? grads.reduce((a, b) => a + b, 0) / grads.length : null,
      param_count: run.paramCount,
      wall_time_s: run.wallTimeS,
    });
  } finally {
    writer.close();
  }
}
