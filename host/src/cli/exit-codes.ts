// Exit codes of the `qiot` CLI (docs/architecture.md).
export const EXIT = {
  ok: 0,
  /** The run failed: device error, trap, numeric failure. */
  failed: 1,
  /** Usage error or invalid config. */
  usage: 2,
  /** Device unreachable or protocol mismatch. */
  device: 3,
  /** Interrupted (Ctrl-C); the run log is still written. */
  interrupted: 130,
} as const;

/** An error that ends the CLI with a given exit code and a message for stderr. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
