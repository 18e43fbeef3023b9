// Errors of the device client. `exitCode` follows docs/architecture.md so the CLI
// can map any of them without knowing the details.
import { errorCodeName, messageTypeName } from '../protocol/constants.ts';

export const DEVICE_EXIT = { failed: 1, unreachable: 3 } as const;

export class DeviceError extends Error {
  readonly exitCode: number = DEVICE_EXIT.failed;
}

/** The board answered a request with ERROR. */
export class BoardError extends DeviceError {
  constructor(
    readonly request: number,
    readonly code: number,
    readonly text: string,
  ) {
    super(`board refused ${messageTypeName(request)}: ${errorCodeName(code)}${text ? ` — ${text}` : ''}`);
    this.name = 'BoardError';
  }
  get codeName(): string {
    return errorCodeName(this.code);
  }
}

/** No answer in time, the link vanished, or the board speaks another protocol. */
export class DeviceUnreachableError extends DeviceError {
  override readonly exitCode: number = DEVICE_EXIT.unreachable;
  constructor(message: string) {
    super(message);
    this.name = 'DeviceUnreachableError';
  }
}

export class RequestTimeoutError extends DeviceUnreachableError {
  constructor(request: number, timeoutMs: number, where: string) {
    super(`no answer to ${messageTypeName(request)} from ${where} within ${timeoutMs} ms`);
    this.name = 'RequestTimeoutError';
  }
}

export class ProtocolMismatchError extends DeviceUnreachableError {
  constructor(boardVersion: number | undefined, hostVersion: number, where: string) {
    super(
      `${where} speaks protocol version ${boardVersion ?? 'unknown'}, this host speaks version ${hostVersion}: ` +
        'update the firmware or the host so they match',
    );
    this.name = 'ProtocolMismatchError';
  }
}

export class LinkLostError extends DeviceUnreachableError {
  constructor(where: string, cause?: Error | null) {
    super(`lost the link to ${where}${cause ? ` (${cause.message})` : ''}: is the board still running?`);
    this.name = 'LinkLostError';
  }
}
