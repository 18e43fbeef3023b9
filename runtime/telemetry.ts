// The 64-byte telemetry record at TELEMETRY (docs/abi.md). NaNs are written with one
// fixed bit pattern so records compare byte for byte across engines.
import { TELEMETRY } from './memory';

const CANONICAL_NAN: u64 = 0x7FF8000000000000;

function storeF64(offset: usize, value: f64): void {
  if (isNaN<f64>(value)) store<u64>(TELEMETRY + offset, CANONICAL_NAN);
  else store<f64>(TELEMETRY + offset, value);
}

export function writeTelemetry(
  step: u32, status: i32, phase: u32, evaluations: u32, shots: u64, shotsTotal: u64,
  loss: f64, gradNorm: f64, stepNorm: f64, trialLoss: f64,
): void {
  store<u32>(TELEMETRY, step);
  store<u32>(TELEMETRY, <u32>status, 4);
  store<u32>(TELEMETRY, phase, 8);
  store<u32>(TELEMETRY, evaluations, 12);
  store<u64>(TELEMETRY, shots, 16);
  store<u64>(TELEMETRY, shotsTotal, 24);
  storeF64(32, loss);
  storeF64(40, gradNorm);
  storeF64(48, stepNorm);
  storeF64(56, trialLoss);
}
