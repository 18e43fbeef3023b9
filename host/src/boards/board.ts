// What every board is to the host: one definition per board (registry.ts) holding how
// to reach it (launched by the host, or opened on a serial device), how much slower
// than the posix reference it is, and the limits the HIL suite and the client use.
import { QiotError } from '../errors.ts';

export interface LaunchOptions {
  /** File keeping the board's module store across restarts (state file, pflash image);
   *  without one the board starts with an empty store. */
  state?: string;
  /** The board's firmware (posix binary, rv32 ELF) when not the build's default (bench, tests). */
  firmware?: string;
}

/** A board the host started; talk to it over `port` like any serial port. */
export interface RunningBoard {
  /** The board's serial port (/dev/pts/N). */
  port: string;
  /** Everything the board process wrote to stderr so far (diagnostics). */
  log(): string;
  /** Resolves with the process's exit code (or null when killed by a signal) once its output is read. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
  /** The board's process id, when it is a process of this machine (benchmarks read its CPU time). */
  pid?: number;
  /** Sends a signal to the board process (SIGKILL simulates a power cut). */
  kill(signal: NodeJS.Signals): void;
}

export interface BoardDefinition {
  /** The name users type: `qiot emulate --board NAME`, `QIOT_TARGET=NAME`. */
  readonly name: string;
  readonly describe: string;
  /** The board name its firmware reports in INFO (what a gateway's status shows), when it is known. */
  readonly reportsAs?: string;
  /** Emulated boards are started by the host; a serial board is opened on its device path. */
  readonly launch?: (options: LaunchOptions) => Promise<RunningBoard>;
  /** The make target that builds an emulated board's firmware (`make hil` builds it first). */
  readonly buildTarget?: string;
  /** File name of the module store inside a scratch directory (HIL suite, tests). */
  readonly stateFileName?: string;
  /** Multiplier of every timeout measured on the posix board (the reference, 1). */
  readonly timeScale: number;
  /** UPLOAD_CHUNK frames in flight. */
  readonly uploadWindow: number;
  /** HIL suite: uploads cut at random offsets (each emulated trial relaunches the board). */
  readonly uploadCutTrials: number;
}

/** An emulated board could not be started (binary missing, wrong output, exited early). */
export class BoardLaunchError extends QiotError {
  constructor(message: string) {
    super(message, 'failed');
    this.name = 'BoardLaunchError';
  }
}
