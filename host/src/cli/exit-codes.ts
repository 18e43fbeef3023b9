// Exit codes of the `qiot` CLI (docs/architecture.md). The only place that turns a
// library error's kind (host/src/errors.ts) into a process exit code.
import { type ErrorKind, QiotError } from '../errors.ts';

export const EXIT = {
  ok: 0,
  /** The run failed: device error, trap, numeric failure. */
  failed: 1,
  /** Usage error, invalid config, a file that cannot be read or written. */
  usage: 2,
  /** Device unreachable or protocol mismatch. */
  device: 3,
  /** Interrupted (Ctrl-C); the run log is still written. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The CLI-wide table, shown by `qiot --help` only: every command lists its own codes. */
export const EXIT_CODES_HELP =
  'Exit codes: 0 ok, 1 run failed, 2 bad usage, config or file, 3 board unreachable or protocol mismatch, 130 interrupted.';

/** A command with subcommands (`qiot fleet`, `qiot keys` …): its own code is the subcommand's. */
export const SUBCOMMAND_EXIT_CODES_HELP =
  "Exit codes: those of the subcommand run (each subcommand's --help lists them); 2 without a subcommand or with an unknown one.";

/** The codes an `Exit codes:` line of a --help lists, each with its cause; null when it has none. */
export function listedExitCodes(helpText: string): { code: number; cause: string }[] | null {
  const line = /Exit codes: (.*)/s.exec(helpText);
  if (!line) return null;
  return [...line[1].matchAll(/(?:^|[,;]\s)(\d{1,3}) (\S[^,;]*)/g)].map((m) => ({ code: Number(m[1]), cause: m[2].trim() }));
}

/** A command's own `Exit codes:` line: each code it can return with what causes it, in code order. */
export function exitCodesHelp(causes: Partial<Record<ExitCode, string>>): string {
  const list = Object.entries(causes)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([code, cause]) => `${code} ${cause}`);
  return `\nExit codes: ${list.join('; ')}.`;
}

const EXIT_OF_KIND: Record<ErrorKind, number> = {
  failed: EXIT.failed,
  invalid: EXIT.usage,
  unreachable: EXIT.device,
  // The board answered (it is back, idle): the run failed, as after a trap; its watchdog or a crash ended it.
  restarted: EXIT.failed,
  interrupted: EXIT.interrupted,
};

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

export function exitCodeOf(err: unknown): number {
  if (err instanceof CliError) return err.exitCode;
  if (err instanceof QiotError) return EXIT_OF_KIND[err.kind];
  // Node's own file errors (ENOENT, EACCES, EROFS, …) reaching the top are file errors: exit 2.
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code) && (err as NodeJS.ErrnoException).syscall) return EXIT.usage;
  return EXIT.failed;
}
