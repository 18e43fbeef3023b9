// Wire-protocol constants (docs/protocol.md). Every protocol limit lives here.
import { CONFIG_SIZE, TELEMETRY_SIZE } from '../wasm/abi.generated.ts';

/** The protocol version this host speaks; a board reporting another is refused. */
export const PROTOCOL_VERSION = 1;

/** Largest payload of one frame (QIOT_MAX_PAYLOAD on the board). */
export const MAX_PAYLOAD = 1024;
/** u8 version ‖ u8 type ‖ u16 seq ‖ u16 length. */
export const HEADER_SIZE = 6;
/** CRC-32 trailer. */
export const CRC_SIZE = 4;
/** COBS adds at most one byte per 254 plus one; the spec rounds the bound up to 1040. */
export const MAX_ENCODED_FRAME = 1040;
/** Data bytes per UPLOAD_CHUNK: the payload minus its u32 offset. */
export const MAX_CHUNK_DATA = MAX_PAYLOAD - 4;
/** Data bytes per DATASET frame: the payload minus its u32 offset. */
export const MAX_DATASET_DATA = MAX_PAYLOAD - 4;
/** Size of one telemetry record (docs/abi.md). */
export const TELEMETRY_RECORD_SIZE = TELEMETRY_SIZE;
/** Size of the ABI config struct carried by CONFIG. */
export { CONFIG_SIZE };
/** Frames the board sends on its own carry this seq. */
export const UNSOLICITED_SEQ = 0;

export const MessageType = {
  HELLO: 0x01,
  UPLOAD_BEGIN: 0x02,
  UPLOAD_CHUNK: 0x03,
  UPLOAD_COMMIT: 0x04,
  CONFIG: 0x05,
  DATASET: 0x06,
  TRAIN_START: 0x07,
  TRAIN_STOP: 0x08,
  STATUS_REQUEST: 0x09,
  TELEMETRY_FETCH: 0x0a,
  RESET: 0x0b,
  PARAMS_READ: 0x0c,
  PARAMS_WRITE: 0x0d,
  PROVISION: 0x0e,
  TELEMETRY_ACK: 0x0f,
  OK: 0x80,
  INFO: 0x81,
  STATUS: 0x82,
  TELEMETRY: 0x83,
  DONE: 0x84,
  LOG: 0x85,
  TELEMETRY_REPLAY: 0x86,
  ERROR: 0xff,
} as const;
export type MessageTypeName = keyof typeof MessageType;

const typeNames = new Map<number, string>(
  Object.entries(MessageType).map(([name, code]) => [code, name === 'STATUS_REQUEST' ? 'STATUS' : name]),
);
export function messageTypeName(type: number): string {
  return typeNames.get(type) ?? `0x${type.toString(16).padStart(2, '0')}`;
}

export const ErrorCode = {
  BAD_CRC: 1,
  BAD_FRAME: 2,
  OVERSIZE: 3,
  BAD_LENGTH: 4,
  UNKNOWN_TYPE: 5,
  PROTOCOL_VERSION: 6,
  BAD_STATE: 7,
  UPLOAD_TOO_LARGE: 8,
  UPLOAD_OFFSET: 9,
  UPLOAD_INCOMPLETE: 10,
  HASH_MISMATCH: 11,
  MODULE_INVALID: 12,
  ABI_MISMATCH: 13,
  NO_MODULE: 14,
  CONFIG_INVALID: 15,
  MODULE_TRAP: 16,
  DATASET_RANGE: 17,
  BAD_PAYLOAD: 18,
  UNAUTHENTICATED: 19,
  SIGNATURE: 20,
  ROLLBACK: 21,
} as const;
export type ErrorCodeName = keyof typeof ErrorCode;

const errorNames = new Map<number, string>(Object.entries(ErrorCode).map(([name, code]) => [code, name]));
export function errorCodeName(code: number): string {
  return errorNames.get(code) ?? `error ${code}`;
}

/** DONE status (docs/protocol.md). */
export const DoneStatus = { COMPLETED: 0, STOPPED: 1, BUDGET_EXHAUSTED: 2, NUMERIC: 3, TRAP: 4 } as const;
const doneNames = ['completed', 'stopped', 'budget_exhausted', 'numeric', 'trap'];
export function doneStatusName(status: number): string {
  return doneNames[status] ?? `status ${status}`;
}

/** STATUS state byte. */
export const BoardState = { IDLE: 0, TRAINING: 1, UPLOAD: 2, PAUSED: 3 } as const;
const stateNames = ['idle', 'training', 'upload', 'paused (telemetry ring full, waiting for the host)'];

/** TRAIN_START's optional telemetry mode: what a ring full of unacknowledged records does. */
export const TelemetryMode = { DROP_OLDEST: 0, PAUSE: 1 } as const;
export function boardStateName(state: number): string {
  return stateNames[state] ?? `state ${state}`;
}

/** active_slot value meaning "no module". */
export const NO_SLOT = 0xff;

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
