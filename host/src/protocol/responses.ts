// Payloads of board → host frames (docs/protocol.md). Each has a decoder (the
// host) and an encoder (fake boards in tests, vectors).
import { ByteReader, ByteWriter, PayloadError } from './bytes.ts';
import { TELEMETRY_RECORD_SIZE } from './constants.ts';

export interface DeviceInfo {
  protocolVersion: number;
  abiVersion: number;
  maxPayload: number;
  ringCapacity: number;
  slotSize: number;
  pageSize: number;
  /** 0 without a module. */
  maxQubits: number;
  /** 0xFF when no module is active. */
  activeSlot: number;
  moduleSize: number;
  moduleSha256: Uint8Array;
  firmwareVersion: string;
  boardName: string;
  /** The security section (docs/security.md); absent from firmware that predates it (an open board). */
  security?: BoardSecurity;
  /** The boot section (docs/reliability.md "Trial boot"); absent from firmware that predates it. */
  boot?: BoardBoot;
}

export interface BoardBoot {
  /** The active module is on trial: a reset before CONFIRM (or its trial steps) reverts it. */
  pending: boolean;
  /** Training steps still needed to confirm it by training (0 when not pending). */
  trialStepsLeft: number;
  /** Why the active module's record was written, when not by a commit (BootEvent). */
  event: number;
  /** The reset that caused a BootEvent.REVERTED (ResetCause). */
  eventCause: number;
  /** Why the board started this time (ResetCause). */
  resetCause: number;
  /** The module ROLLBACK returns to, when the other slot still holds it. */
  previous?: { size: number; sha256: Uint8Array };
}

export interface BoardSecurity {
  /** The board holds trusted keys: signed modules and authenticated control only. */
  provisioned: boolean;
  /** The active module's signature was verified by a trusted key. */
  moduleVerified: boolean;
  /** Anti-rollback floor: signed modules with a lower counter are refused. */
  floor: number;
  moduleVersion: number;
  moduleCounter: number;
  /** This boot's session nonce (authentication tags cover it). */
  nonce: Uint8Array;
  /** The last authentication counter the board accepted this boot. */
  lastCounter: number;
}

const SECURITY_PROVISIONED = 1;
const SECURITY_MODULE_VERIFIED = 2;
const BOOT_PENDING = 1;
const BOOT_PREVIOUS = 2;

export function decodeInfo(p: Uint8Array): DeviceInfo {
  const r = new ByteReader(p, 'INFO');
  const info: DeviceInfo = {
    protocolVersion: r.u16('protocol_version'),
    abiVersion: r.u16('abi_version'),
    maxPayload: r.u16('max_payload'),
    ringCapacity: r.u16('ring_capacity'),
    slotSize: r.u32('slot_size'),
    pageSize: r.u32('page_size'),
    maxQubits: r.u16('max_qubits'),
    activeSlot: r.u8('active_slot'),
    moduleSize: r.u32('module_size'),
    moduleSha256: r.bytesOf(32, 'module_sha256'),
    firmwareVersion: r.shortString('firmware version'),
    boardName: r.shortString('board name'),
  };
  if (r.remaining > 0) {
    const flags = r.u8('security flags');
    info.security = {
      provisioned: (flags & SECURITY_PROVISIONED) !== 0,
      moduleVerified: (flags & SECURITY_MODULE_VERIFIED) !== 0,
      floor: r.u32('rollback floor'),
      moduleVersion: r.u32('module version'),
      moduleCounter: r.u32('module counter'),
      nonce: r.bytesOf(16, 'session nonce'),
      lastCounter: r.u32('last auth counter'),
    };
  }
  if (r.remaining > 0) {
    const flags = r.u8('boot flags');
    const event = r.u8('boot event');
    const eventCause = r.u8('boot event cause');
    const resetCause = r.u8('reset cause');
    const trialStepsLeft = r.u32('trial steps left');
    const size = r.u32('previous module size');
    const sha256 = r.bytesOf(32, 'previous module sha256');
    info.boot = { pending: (flags & BOOT_PENDING) !== 0, trialStepsLeft, event, eventCause, resetCause };
    if (flags & BOOT_PREVIOUS) info.boot.previous = { size, sha256 };
  }
  r.end();
  return info;
}

/** Reads only the leading protocol version, so a board of another version can be named even if the rest differs. */
export function peekInfoVersion(p: Uint8Array): number | undefined {
  return p.length >= 2 ? p[0] | (p[1] << 8) : undefined;
}

export function encodeInfo(i: DeviceInfo): Uint8Array {
  const w = new ByteWriter()
    .u16(i.protocolVersion)
    .u16(i.abiVersion)
    .u16(i.maxPayload)
    .u16(i.ringCapacity)
    .u32(i.slotSize)
    .u32(i.pageSize)
    .u16(i.maxQubits)
    .u8(i.activeSlot)
    .u32(i.moduleSize)
    .bytes(i.moduleSha256)
    .shortString(i.firmwareVersion)
    .shortString(i.boardName);
  const sec = i.security;
  if (sec) {
    w.u8((sec.provisioned ? SECURITY_PROVISIONED : 0) | (sec.moduleVerified ? SECURITY_MODULE_VERIFIED : 0))
      .u32(sec.floor)
      .u32(sec.moduleVersion)
      .u32(sec.moduleCounter)
      .bytes(sec.nonce)
      .u32(sec.lastCounter);
  }
  const boot = i.boot;
  if (boot) {
    w.u8((boot.pending ? BOOT_PENDING : 0) | (boot.previous ? BOOT_PREVIOUS : 0))
      .u8(boot.event)
      .u8(boot.eventCause)
      .u8(boot.resetCause)
      .u32(boot.trialStepsLeft)
      .u32(boot.previous?.size ?? 0)
      .bytes(boot.previous?.sha256 ?? new Uint8Array(32));
  }
  return w.finish();
}

export interface BoardStatus {
  state: number;
  step: number;
  nextTseq: number;
  activeSlot: number;
  shotsTotal: bigint;
}

export function decodeStatus(p: Uint8Array): BoardStatus {
  const r = new ByteReader(p, 'STATUS');
  const s = {
    state: r.u8('state'),
    step: r.u32('step'),
    nextTseq: r.u32('next_tseq'),
    activeSlot: r.u8('active_slot'),
    shotsTotal: r.u64('shots_total'),
  };
  r.end();
  return s;
}
export const encodeStatus = (s: BoardStatus): Uint8Array =>
  new ByteWriter().u8(s.state).u32(s.step).u32(s.nextTseq).u8(s.activeSlot).u64(s.shotsTotal).finish();

export interface TelemetryFrame {
  tseq: number;
  stepUs: number;
  /** The module's raw 64-byte record (docs/abi.md), byte for byte. */
  record: Uint8Array;
}

export function decodeTelemetryFrame(p: Uint8Array): TelemetryFrame {
  const r = new ByteReader(p, 'TELEMETRY');
  const t = { tseq: r.u32('tseq'), stepUs: r.u32('step_us'), record: r.bytesOf(TELEMETRY_RECORD_SIZE, 'record') };
  r.end();
  return t;
}
export const encodeTelemetryFrame = (t: TelemetryFrame): Uint8Array => new ByteWriter().u32(t.tseq).u32(t.stepUs).bytes(t.record).finish();

export interface DoneInfo {
  status: number;
  steps: number;
  shotsTotal: bigint;
  trainLoss: number;
  testAccuracy: number;
  testLoss: number;
}

export function decodeDone(p: Uint8Array): DoneInfo {
  const r = new ByteReader(p, 'DONE');
  const d = {
    status: r.u32('status'),
    steps: r.u32('steps'),
    shotsTotal: r.u64('shots_total'),
    trainLoss: r.f64('train_loss'),
    testAccuracy: r.f64('test_accuracy'),
    testLoss: r.f64('test_loss'),
  };
  r.end();
  return d;
}
export const encodeDone = (d: DoneInfo): Uint8Array =>
  new ByteWriter().u32(d.status).u32(d.steps).u64(d.shotsTotal).f64(d.trainLoss).f64(d.testAccuracy).f64(d.testLoss).finish();

export interface LogMessage {
  level: number;
  text: string;
}
export function decodeLog(p: Uint8Array): LogMessage {
  const r = new ByteReader(p, 'LOG');
  return { level: r.u8('level'), text: r.restString() };
}
export const encodeLog = (l: LogMessage): Uint8Array => new ByteWriter().u8(l.level).restString(l.text).finish();

export interface ErrorMessage {
  code: number;
  text: string;
}
export function decodeError(p: Uint8Array): ErrorMessage {
  const r = new ByteReader(p, 'ERROR');
  return { code: r.u16('code'), text: r.restString() };
}
export const encodeError = (e: ErrorMessage): Uint8Array => new ByteWriter().u16(e.code).restString(e.text).finish();

/** OK payload of UPLOAD_BEGIN, UPLOAD_CHUNK, DATASET (an offset) and TRAIN_START (param_count). */
export function decodeOkU32(p: Uint8Array, what: string): number {
  const r = new ByteReader(p, `OK (${what})`);
  const v = r.u32(what);
  r.end();
  return v;
}
export const encodeOkU32 = (v: number): Uint8Array => new ByteWriter().u32(v).finish();

export interface CommitResult {
  activeSlot: number;
  sha256: Uint8Array;
}
export function decodeCommitOk(p: Uint8Array): CommitResult {
  const r = new ByteReader(p, 'OK (UPLOAD_COMMIT)');
  const c = { activeSlot: r.u8('active slot'), sha256: r.bytesOf(32, 'sha256') };
  r.end();
  return c;
}
export const encodeCommitOk = (c: CommitResult): Uint8Array => new ByteWriter().u8(c.activeSlot).bytes(c.sha256).finish();

export interface FetchSummary {
  firstHeld: number;
  nextTseq: number;
  missing: number;
}
export function decodeFetchOk(p: Uint8Array): FetchSummary {
  const r = new ByteReader(p, 'OK (TELEMETRY_FETCH)');
  const f = { firstHeld: r.u32('first_held'), nextTseq: r.u32('next_tseq'), missing: r.u32('missing') };
  r.end();
  return f;
}
/** OK of TELEMETRY_ACK: the board's cumulative acknowledgement and the records it overwrote unacknowledged. */
export interface AckSummary {
  acked: number;
  dropped: number;
}
export function decodeAckOk(p: Uint8Array): AckSummary {
  const r = new ByteReader(p, 'OK (TELEMETRY_ACK)');
  const a = { acked: r.u32('acked'), dropped: r.u32('dropped') };
  r.end();
  return a;
}
export const encodeAckOk = (a: AckSummary): Uint8Array => new ByteWriter().u32(a.acked).u32(a.dropped).finish();

export const encodeFetchOk = (f: FetchSummary): Uint8Array => new ByteWriter().u32(f.firstHeld).u32(f.nextTseq).u32(f.missing).finish();

/** PARAMS_READ answer: u16 count (all of θ) ‖ f64 θ[first … first+n), n ≤ one frame's worth. */
export function decodeParamsPage(p: Uint8Array): { count: number; values: Float64Array } {
  const r = new ByteReader(p, 'PARAMS_READ answer');
  const count = r.u16('count');
  if ((p.length - 2) % 8 !== 0) throw new PayloadError(`PARAMS_READ answer: ${p.length - 2} bytes of values is not a whole number of f64`);
  const values = new Float64Array((p.length - 2) / 8);
  for (let i = 0; i < values.length; i++) values[i] = r.f64(`theta[${i}]`);
  r.end();
  return { count, values };
}
