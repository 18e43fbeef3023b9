// Decoding of the 64-byte telemetry record (docs/abi.md), for the in-process module and
// for records streamed by boards.
import { PHASE, TELEMETRY_SIZE, statusName, type StatusName } from './abi.ts';

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

function safeU64(view: DataView, offset: number, field: string): number {
  const value = view.getBigUint64(offset, true);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`telemetry ${field} ${value} exceeds 2^53-1 and cannot be a JS number`);
  }
  return Number(value);
}

export function decodeTelemetry(bytes: Uint8Array): TelemetryRecord {
  if (bytes.length !== TELEMETRY_SIZE) {
    throw new RangeError(`telemetry record must be ${TELEMETRY_SIZE} bytes, got ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const status = view.getUint32(4, true);
  const phase = view.getUint32(8, true);
  if (phase !== PHASE.positive && phase !== PHASE.negative) {
    throw new RangeError(`telemetry phase must be 0 or 1, got ${phase}`);
  }
  return {
    step: view.getUint32(0, true),
    status,
    statusName: statusName(status),
    phase,
    evals: view.getUint32(12, true),
    shots: safeU64(view, 16, 'shots'),
    shotsTotal: safeU64(view, 24, 'shots_total'),
    loss: view.getFloat64(32, true),
    gradNorm: view.getFloat64(40, true),
    stepNorm: view.getFloat64(48, true),
    trialLoss: view.getFloat64(56, true),
  };
}
