// What an executor answers (executor.ts): a run's summary as the `done` body, and every
// error it can meet as the error kind of docs/fleet.md (the board's or module's code kept).
import { NoModuleError } from '../device/board-target.ts';
import { BoardError, BoardRestartedError, DeviceUnreachableError } from '../device/errors.ts';
import { ConfigRejectedError, type TargetSummary } from '../train/target.ts';
import { encodeF64, OPS, PayloadError, type RemoteErrorBody, type SummaryBody } from './messages.ts';

/** Already running a job: `busy`. */
export class BusyError extends Error {}
/** Not something this executor does (e.g. a board asked for a trace or a task): `invalid`. */
export class UnsupportedError extends Error {}
/** A task kind this executor does not run: `unknown_op`. */
export class UnknownOpError extends Error {}

export function summaryBody(s: TargetSummary): Omit<SummaryBody, 'first_seq' | 'records' | 'dropped'> {
  const n = (x: number) => (Number.isFinite(x) ? x : null);
  return {
    status: s.status,
    train_loss: n(s.trainLoss),
    test_loss: n(s.testLoss),
    test_accuracy: n(s.testAccuracy),
    shots_total: s.shotsTotal,
    param_count: s.paramCount,
    ...(s.error !== undefined ? { error: s.error } : {}),
    ...(s.params ? { params: Array.from(s.params, n) } : {}),
    ...(s.trace ? { trace: encodeF64(s.trace) } : {}),
  };
}

export function errorBody(err: unknown): RemoteErrorBody {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof BusyError) return { kind: 'busy', message };
  if (err instanceof UnsupportedError || err instanceof PayloadError) return { kind: 'invalid', message };
  if (err instanceof UnknownOpError) return { kind: 'unknown_op', message };
  if (err instanceof ConfigRejectedError) return { kind: 'config_rejected', code: err.code, message: err.moduleMessage };
  if (err instanceof NoModuleError) return { kind: 'no_module', message };
  if (err instanceof BoardError) return { kind: 'board', code: err.code, message };
  if (err instanceof BoardRestartedError) return { kind: 'restarted', message };
  if (err instanceof DeviceUnreachableError) return { kind: 'unreachable', message };
  return { kind: 'failed', message };
}

export function safeJson(payload: Buffer): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(payload.toString('utf8'));
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export const isUnknownOp = (v: Record<string, unknown>) => typeof v.op === 'string' && !(OPS as readonly string[]).includes(v.op);
