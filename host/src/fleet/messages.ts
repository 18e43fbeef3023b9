// Payloads of the fleet topics (docs/fleet.md): JSON for status, commands and
// replies (rare, readable with mosquitto_sub), 80-byte binary records (1–256 per
// message) for telemetry (the hot path). The reply topic and the correlation id
// travel in the payload (and, on MQTT 5 connections, also as properties), so the
// same messages work on MQTT 3.1.1 brokers (aedes) and MQTT 5 brokers (Mosquitto). A command's `auth` (the
// MAC trailers its client sealed for a provisioned board, fleet/auth.ts) and a flash's signed `manifest`
// are carried unchanged and checked only by the board: the broker and the gateway are not trusted.
import { z } from 'zod';
import { QiotError } from '../errors.ts';
import { RunTargetSchema } from '../runlog/schema.ts';
import { FLEET } from './limits.ts';

const V = z.literal(FLEET.payloadVersion);
const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
const u32 = z.int().min(0).max(0xffff_ffff);

export const EXECUTOR_KINDS = ['board', 'worker'] as const;
/** A pool task kind (host/src/pool/task-kinds.ts): not an enum, so an executor that lacks a newer kind names it instead of failing the schema. */
const TaskKindName = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be a task kind name (a-z, 0-9, -)');

// Statuses only ever gain optional fields (v stays 1), and a client ignores the fields it does not know,
// so an older client still sees executors of a newer qiot; commands and replies stay strict (an executor
// must not run an option it does not understand).
export const StatusSchema = z.discriminatedUnion('state', [
  z.object({
    v: V,
    id: z.string(),
    state: z.literal('online'),
    kind: z.enum(EXECUTOR_KINDS),
    /** The run log `target` of runs on this executor. */
    target: RunTargetSchema,
    /** Module it runs (null: a board without a module). */
    module_sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .nullable(),
    abi_version: z.int().nullable(),
    host: z.string(),
    tags: z.array(z.string()),
    /** Correlation id of the run in progress, null when idle. */
    busy: z.string().nullable(),
    /** Correlation id of the run kept to start right after it (a train with `queue`), null when none; absent: the executor keeps none. */
    next: z.string().nullable().optional(),
    /** A provisioned board (docs/security.md): it obeys only commands sealed with its owner's key; absent: not one. */
    provisioned: z.boolean().optional(),
    /** The most θ values a `train` may carry in `start` (a board: what one TRAIN_START frame holds); absent: no limit but the module's. */
    max_start_params: z.int().min(0).optional(),
    /** Telemetry messages not delivered to the broker yet, and dropped because the queue was full. */
    queued: z.int().min(0),
    dropped: z.int().min(0),
    /** The pool task kinds this executor runs (`task` op) and the qiot version whose code runs them; absent: none (a board, an older worker). */
    tasks: z.object({ kinds: z.array(TaskKindName), qiot_version: z.string() }).optional(),
  }),
  // Last will and clean shutdown; `reason` says which.
  z.object({ v: V, id: z.string(), state: z.literal('offline'), reason: z.string() }),
]);
export type Status = z.infer<typeof StatusSchema>;
export type OnlineStatus = Extract<Status, { state: 'online' }>;

export const OPS = ['info', 'flash', 'train', 'task', 'stop', 'params_get', 'params_set', 'reset', 'rollback', 'confirm'] as const;
export type Op = (typeof OPS)[number];

export const TrainArgsSchema = z.strictObject({
  /** The 192-byte ABI config struct (docs/abi.md). */
  config: base64,
  /** The packed dataset region (may be empty). */
  dataset: base64,
  /** Steps to run (0 = until stop or the shot budget). */
  steps: u32,
  /** Stamped on every telemetry message of this run. */
  tag: u32,
  /** If a run is in progress: keep this one (at most one) and start it when that run ends, replying `queued` now (a sweep's prefetch), instead of refusing it as busy. */
  queue: z.boolean().optional(),
  /** Workers only: the `done` reply carries θ₀ and θ after every step (`trace`), for experiments that evaluate each step's θ. */
  trace: z.boolean().optional(),
  /** θ the run starts from, written after init() before the first step (the layerwise schedule, host/src/schedule/). */
  start: z.array(z.number()).min(1).optional(),
});
/** Workers only: run one unit of an experiment's pool (host/src/pool/) in a worker thread; `done` carries its result. */
export const TaskArgsSchema = z.strictObject({
  kind: TaskKindName,
  /** The handler's input, as fleet/task-value.ts encodes it (JSON; NaN, ±∞ and −0 tagged). */
  input: z.unknown(),
  /** As for `train`: kept (at most one) and started when the unit in progress ends, replying `queued` now. */
  queue: z.boolean().optional(),
});
export const FlashArgsSchema = z.strictObject({
  module: base64,
  /** The signed UPLOAD_BEGIN payload (size ‖ sha256 ‖ manifest ‖ signature, docs/security.md) a provisioned board needs. */
  manifest: base64.optional(),
});
/** θ for PARAMS_WRITE: exactly the module's param_count() finite values (the board checks the count). */
export const ParamsSetArgsSchema = z.strictObject({ params: z.array(z.number()).min(1) });
const NoArgs = z.strictObject({});

/** A command: its op, its args, the reply address and the opaque `auth`. */
const command = <O extends Op, A extends z.ZodType>(op: O, args: A) =>
  z.strictObject({ v: V, op: z.literal(op), corr: z.string().min(1), reply: z.string().min(1), args, auth: base64.optional() });

export const RequestSchema = z.discriminatedUnion('op', [
  command('info', NoArgs),
  command('flash', FlashArgsSchema),
  command('train', TrainArgsSchema),
  command('task', TaskArgsSchema),
  command('stop', NoArgs),
  command('params_get', NoArgs),
  command('params_set', ParamsSetArgsSchema),
  command('reset', NoArgs),
  command('rollback', NoArgs),
  command('confirm', NoArgs),
]);
export type Request = z.infer<typeof RequestSchema>;

/**
 * Why a command failed. Each kind maps to one CLI exit code (host/src/cli/fleet-options.ts):
 * invalid/unknown_op/config_rejected/no_module → 2, busy/board/restarted/failed → 1, unreachable → 3.
 * restarted: the board restarted during the run (watchdog, crash, power) and is back; a sweep runs it again.
 */
export const ERROR_KINDS = [
  'invalid',
  'unknown_op',
  'busy',
  'config_rejected',
  'no_module',
  'board',
  'restarted',
  'unreachable',
  'failed',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export const RemoteErrorSchema = z.strictObject({
  kind: z.enum(ERROR_KINDS),
  /** The board's or module's error code where there is one (docs/protocol.md, docs/abi.md). */
  code: z.int().optional(),
  message: z.string(),
});
export type RemoteErrorBody = z.infer<typeof RemoteErrorSchema>;

const num = z.number().nullable(); // NaN travels as null

export const SummaryBodySchema = z.strictObject({
  status: z.enum(['completed', 'stopped', 'budget_exhausted', 'numeric', 'trap']),
  train_loss: num,
  test_loss: num,
  test_accuracy: num,
  shots_total: z.int().min(0),
  param_count: z.int().nullable(),
  error: z.string().optional(),
  /** Telemetry of the run: sequence numbers first..last (none when records = 0). */
  first_seq: u32.nullable(),
  records: z.int().min(0),
  /** Telemetry messages of this run dropped because the executor's queue was full. */
  dropped: z.int().min(0),
  /** θ at the end of the run (the run log summary's `params`), when the executor could read it. */
  params: z.array(num).optional(),
  /** With `trace` in the command: θ₀, then θ after each step, param_count f64 (little-endian) per row, base64. */
  trace: base64.optional(),
});
export type SummaryBody = z.infer<typeof SummaryBodySchema>;

/** A `task`'s result: the handler's return value, encoded as its input (fleet/task-value.ts). */
export const TaskDoneBodySchema = z.strictObject({ kind: TaskKindName, value: z.unknown() });
export type TaskDoneBody = z.infer<typeof TaskDoneBodySchema>;
/** A `done` reply's result is a run's summary (a `train`), not a task's result. */
export const isSummaryBody = (result: SummaryBody | TaskDoneBody): result is SummaryBody => 'status' in result;

export const ReplySchema = z.discriminatedUnion('stage', [
  /** train: the run started (config accepted); task: the unit started; info/flash/stop: the answer. */
  z.strictObject({ v: V, corr: z.string(), stage: z.literal('ok'), result: z.record(z.string(), z.unknown()) }),
  /** train or task with `queue` only: the executor keeps it and starts it when the one in progress ends (then `ok`). */
  z.strictObject({ v: V, corr: z.string(), stage: z.literal('queued') }),
  /** train: the run ended (its summary); task: the unit's result. */
  z.strictObject({ v: V, corr: z.string(), stage: z.literal('done'), result: z.union([SummaryBodySchema, TaskDoneBodySchema]) }),
  z.strictObject({ v: V, corr: z.string(), stage: z.literal('error'), error: RemoteErrorSchema }),
]);
export type Reply = z.infer<typeof ReplySchema>;

export class PayloadError extends QiotError {
  constructor(message: string) {
    super(message, 'invalid');
    this.name = 'PayloadError';
  }
}

function decodeJson<T>(schema: z.ZodType<T>, payload: Uint8Array, what: string): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(payload).toString('utf8'));
  } catch {
    throw new PayloadError(`${what}: not JSON`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new PayloadError(`${what}: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}`);
  return parsed.data;
}

export const encodeJson = (value: Status | Request | Reply): Buffer => Buffer.from(JSON.stringify(value));
export const decodeStatus = (p: Uint8Array) => decodeJson(StatusSchema, p, 'status');
export function decodeRequest(p: Uint8Array): Request {
  if (p.length > FLEET.maxPayloadBytes) {
    throw new PayloadError(`command: ${p.length} bytes, executors accept at most ${FLEET.maxPayloadBytes} (FLEET.maxPayloadBytes)`);
  }
  return decodeJson(RequestSchema, p, 'command');
}
export const decodeReply = (p: Uint8Array) => decodeJson(ReplySchema, p, 'reply');

export const toBase64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
export const fromBase64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));

/** f64 values as little-endian bytes in base64 (a trace: exact, and 8 bytes per value). */
export function encodeF64(values: ArrayLike<number>): string {
  const out = Buffer.alloc(values.length * 8);
  for (let i = 0; i < values.length; i++) out.writeDoubleLE(values[i], i * 8);
  return out.toString('base64');
}

export function decodeF64(text: string): Float64Array {
  const b = Buffer.from(text, 'base64');
  if (b.length % 8 !== 0) throw new PayloadError(`trace: ${b.length} bytes, not a whole number of f64 values`);
  const out = new Float64Array(b.length / 8);
  for (let i = 0; i < out.length; i++) out[i] = b.readDoubleLE(i * 8);
  return out;
}

// Telemetry: version u8, reserved u8 + u16, seq u32, tag u32, step_us u32
// (0xFFFFFFFF = not measured), then the module's 64-byte record (docs/abi.md). Little-endian.
export const TELEMETRY_RECORD_BYTES = 64;
export const TELEMETRY_MESSAGE_BYTES = 16 + TELEMETRY_RECORD_BYTES;
const NO_STEP_US = 0xffff_ffff;

export interface TelemetryMessage {
  seq: number;
  tag: number;
  stepUs?: number;
  raw: Uint8Array;
}

export function encodeTelemetry(m: TelemetryMessage): Buffer {
  if (m.raw.length !== TELEMETRY_RECORD_BYTES)
    throw new PayloadError(`telemetry record must be ${TELEMETRY_RECORD_BYTES} bytes, got ${m.raw.length}`);
  const out = Buffer.alloc(TELEMETRY_MESSAGE_BYTES);
  out.writeUInt8(FLEET.payloadVersion, 0);
  out.writeUInt32LE(m.seq, 4);
  out.writeUInt32LE(m.tag, 8);
  out.writeUInt32LE(m.stepUs === undefined ? NO_STEP_US : Math.min(m.stepUs, NO_STEP_US - 1), 12);
  out.set(m.raw, 16);
  return out;
}

/** One telemetry message: 1…FLEET.telemetryBatchMax records of one run, back to back, consecutive sequences. */
export const encodeTelemetryBatch = (records: readonly TelemetryMessage[]): Buffer => Buffer.concat(records.map(encodeTelemetry));

export function decodeTelemetryBatch(payload: Uint8Array): TelemetryMessage[] {
  if (payload.length === 0 || payload.length % TELEMETRY_MESSAGE_BYTES !== 0)
    throw new PayloadError(`telemetry: ${payload.length} bytes, expected a multiple of ${TELEMETRY_MESSAGE_BYTES}`);
  const out: TelemetryMessage[] = [];
  for (let at = 0; at < payload.length; at += TELEMETRY_MESSAGE_BYTES)
    out.push(decodeTelemetry(payload.subarray(at, at + TELEMETRY_MESSAGE_BYTES)));
  return out;
}

export function decodeTelemetry(payload: Uint8Array): TelemetryMessage {
  if (payload.length !== TELEMETRY_MESSAGE_BYTES)
    throw new PayloadError(`telemetry: ${payload.length} bytes, expected ${TELEMETRY_MESSAGE_BYTES}`);
  const b = Buffer.from(payload.buffer, payload.byteOffset, payload.length);
  if (b.readUInt8(0) !== FLEET.payloadVersion)
    throw new PayloadError(`telemetry: payload version ${b.readUInt8(0)}, expected ${FLEET.payloadVersion}`);
  const stepUs = b.readUInt32LE(12);
  return {
    seq: b.readUInt32LE(4),
    tag: b.readUInt32LE(8),
    ...(stepUs === NO_STEP_US ? {} : { stepUs }),
    raw: new Uint8Array(b.subarray(16)),
  };
}
