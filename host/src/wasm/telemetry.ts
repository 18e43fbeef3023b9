// Decoding of the 64-byte telemetry record (docs/abi.md), for the in-process module and
// for records streamed by boards.
import { PHASE, TELEMETRY_LAYOUT, TELEMETRY_SIZE, statusName, type StatusName } from './abi.ts';

export interface TelemetryRecord {
  /** 1-based index of the last step that ran. */
  step: number;
  status: number;
  statusName: StatusName | `UNKNOWN_${number}`;
  /** 0 = positive (descent), 1 = negative (NLR ascent). */
  phase: number;
  /** Circuit evaluations this step. */
  evals: number;
  shots: number;
  shotsTotal: number;
  /** Mini-batch loss at θ before the update. */
  loss: number;
  gradNorm: number;
  stepNorm: number;
  /** L(θ − ηg) of gated NLR; NaN otherwise. */
  trialLoss: number;
}

const at = TELEMETRY_LAYOUT;

/** Highest high word of a u64 that is still ≤ 2^53 − 1. */
const SAFE_HIGH = 2 ** 21 - 1;

/** Two u32 reads, not getBigUint64: BigInt cost ~10 µs per record, a percent of a 4-qubit step, on every record a run streams. */
function safeU64(view: DataView, offset: number, field: string): number {
  const low = view.getUint32(offset, true);
  const high = view.getUint32(offset + 4, true);
  if (high > SAFE_HIGH) {
    throw new RangeError(`telemetry ${field} ${view.getBigUint64(offset, true)} exceeds 2^53-1 and cannot be a JS number`);
  }
  return high * 2 ** 32 + low;
}

export function decodeTelemetry(bytes: Uint8Array): TelemetryRecord {
  if (bytes.length !== TELEMETRY_SIZE) {
    throw new RangeError(`telemetry record must be ${TELEMETRY_SIZE} bytes, got ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const status = view.getUint32(at.status[0], true);
  const phase = view.getUint32(at.phase[0], true);
  if (phase !== PHASE.positive && phase !== PHASE.negative) {
    throw new RangeError(`telemetry phase must be 0 or 1, got ${phase}`);
  }
  return {
    step: view.getUint32(at.step[0], true),
    status,
    statusName: statusName(status),
    phase,
    evals: view.getUint32(at.evals[0], true),
    shots: safeU64(view, at.shots[0], 'shots'),
    shotsTotal: safeU64(view, at.shotsTotal[0], 'shots_total'),
    loss: view.getFloat64(at.loss[0], true),
    gradNorm: view.getFloat64(at.gradNorm[0], true),
    stepNorm: view.getFloat64(at.stepNorm[0], true),
    trialLoss: view.getFloat64(at.trialLoss[0], true),
  };
}
