// A raw 64-byte telemetry record → the run log's step record.
import type { StepRecord } from '../runlog/schema.ts';
import { PHASE, STATUS } from '../wasm/abi.ts';
import { decodeTelemetry } from '../wasm/telemetry.ts';

const STEP_STATUS: Record<number, StepRecord['status']> = {
  [STATUS.OK]: 'ok',
  [STATUS.NOT_INITIALISED]: 'not_initialised',
  [STATUS.BUDGET_EXHAUSTED]: 'budget_exhausted',
  [STATUS.NUMERIC]: 'numeric',
};

export function stepRecordFromTelemetry(raw: Uint8Array, stepUs?: number): StepRecord {
  const t = decodeTelemetry(raw);
  const status = STEP_STATUS[t.status];
  if (status === undefined) throw new Error(`telemetry of step ${t.step} has unknown status ${t.status}`);
  const finite = (v: number) => (Number.isFinite(v) ? v : null);
  return {
    type: 'step',
    step: t.step,
    loss: finite(t.loss),
    grad_norm: finite(t.gradNorm),
    phase: t.phase === PHASE.negative ? '-' : '+',
    shots: t.shots,
    shots_total: t.shotsTotal,
    evals: t.evals,
    step_norm: finite(t.stepNorm),
    trial_loss: finite(t.trialLoss),
    status,
    ...(stepUs !== undefined ? { step_us: stepUs } : {}),
    raw: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('hex'),
  };
}
