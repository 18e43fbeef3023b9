// Wire-protocol constants (docs/protocol.md). Every protocol limit lives here.
import { CONFIG_SIZE, TELEMETRY_SIZE } from '../wasm/abi.generated.ts';
import { BOARD_STATE_TEXTS, DONE_STATUS_NAMES, ErrorCode, MESSAGE_NAMES, RESET_CAUSE_TEXTS } from './protocol.generated.ts';

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

// Message types, request rules and codes: generated from abi/qiot-protocol.ts.
export {
  BOARD_STATE_TEXTS,
  BoardState,
  BootEvent,
  DONE_STATUS_NAMES,
  DoneStatus,
  ErrorCode,
  type ErrorCodeName,
  LOG_LEVELS,
  MESSAGE_NAMES,
  MessageType,
  type MessageTypeName,
  REQUEST_RULES,
  ResetCause,
  TelemetryMode,
} from './protocol.generated.ts';

export function messageTypeName(type: number): string {
  return MESSAGE_NAMES.get(type) ?? `0x${type.toString(16).padStart(2, '0')}`;
}

const errorNames = new Map<number, string>(Object.entries(ErrorCode).map(([name, code]) => [code, name]));
export function errorCodeName(code: number): string {
  return errorNames.get(code) ?? `error ${code}`;
}

export function doneStatusName(status: number): string {
  return (DONE_STATUS_NAMES as readonly string[])[status] ?? `status ${status}`;
}

export function boardStateName(state: number): string {
  return (BOARD_STATE_TEXTS as readonly string[])[state] ?? `state ${state}`;
}

export function resetCauseName(cause: number): string {
  return (RESET_CAUSE_TEXTS as readonly string[])[cause] ?? `cause ${cause}`;
}

/** active_slot value meaning "no module". */
export const NO_SLOT = 0xff;
