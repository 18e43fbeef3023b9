// Errors of the device client. Their kind ('failed' for a board that answered with an
// error, 'unreachable' for one that did not answer) is all the CLI needs to map them.
import { type ErrorKind, QiotError } from '../errors.ts';
import { errorCodeName, messageTypeName } from '../protocol/constants.ts';

export class DeviceError extends QiotError {
  constructor(message: string, kind: ErrorKind = 'failed') {
    super(message, kind);
    this.name = 'DeviceError';
  }
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

/** The board restarted during a run (watchdog, crash, power): it is idle and never sent the run's DONE. */
export class BoardRestartedError extends DeviceError {
  constructor(
    where: string,
    state: string,
    readonly resetCause: string | undefined,
  ) {
    super(
      `the board on ${where} is ${state} and sent no DONE for the run: it restarted during it` +
        (resetCause === undefined ? '' : ` (reset cause: ${resetCause})`),
      'restarted',
    );
    this.name = 'BoardRestartedError';
  }
}

/** No answer in time, the link vanished, or the board speaks another protocol. */
export class DeviceUnreachableError extends DeviceError {
  constructor(message: string) {
    super(message, 'unreachable');
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
