// Every library error carries a kind; only the CLI (host/src/cli/exit-codes.ts)
// turns kinds into exit codes, so library code never knows about processes.

export type ErrorKind =
  /** The run or operation failed: device error, trap, numeric failure, a board that would not start. */
  | 'failed'
  /** The input is wrong: usage, config, a file that is missing or unreadable, a malformed run log. */
  | 'invalid'
  /** The board cannot be reached or speaks another protocol. */
  | 'unreachable'
  /** The board restarted during the run (watchdog, crash, power) and so never ended it: the run failed, the board is back. */
  | 'restarted'
  /** Stopped on request (Ctrl-C). */
  | 'interrupted';

export class QiotError extends Error {
  constructor(
    message: string,
    readonly kind: ErrorKind,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'QiotError';
  }
}

/** The kind of any thrown value; errors that are not ours count as failures. */
export function errorKind(err: unknown): ErrorKind {
  return err instanceof QiotError ? err.kind : 'failed';
}
