// The telemetry record at TELEMETRY (docs/abi.md). NaNs are written with one
// fixed bit pattern so records compare byte for byte across engines.
import * as A from './abi.generated';
import { TELEMETRY } from './memory';

const CANONICAL_NAN: u64 = 0x7ff8000000000000;

function storeF64(offset: usize, value: f64): void {
  if (isNaN<f64>(value)) store<u64>(TELEMETRY + offset, CANONICAL_NAN);
  else store<f64>(TELEMETRY + offset, value);
}

export function writeTelemetry(
  step: u32,
  status: i32,
  phase: u32,
  evaluations: u32,
  shots: u64,
  shotsTotal: u64,
  loss: f64,
  gradNorm: f64,
  stepNorm: f64,
  trialLoss: f64,
): void {
  store<u32>(TELEMETRY, step, A.TELEMETRY_OFF_STEP);
  store<u32>(TELEMETRY, <u32>status, A.TELEMETRY_OFF_STATUS);
  store<u32>(TELEMETRY, phase, A.TELEMETRY_OFF_PHASE);
  store<u32>(TELEMETRY, evaluations, A.TELEMETRY_OFF_EVALS);
  store<u64>(TELEMETRY, shots, A.TELEMETRY_OFF_SHOTS);
  store<u64>(TELEMETRY, shotsTotal, A.TELEMETRY_OFF_SHOTS_TOTAL);
  storeF64(A.TELEMETRY_OFF_LOSS, loss);
  storeF64(A.TELEMETRY_OFF_GRAD_NORM, gradNorm);
  storeF64(A.TELEMETRY_OFF_STEP_NORM, stepNorm);
  storeF64(A.TELEMETRY_OFF_TRIAL_LOSS, trialLoss);
}
