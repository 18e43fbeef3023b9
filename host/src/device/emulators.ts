// Emulated boards the host can start (`qiot emulate`, end-to-end tests, benches).
// Each entry launches a board and returns its serial port; adding a board is one
// entry in EMULATORS.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { launchRv32Board, type RunningBoard } from '../boards/rv32.ts';
import { EMULATOR } from './limits.ts';

export type { RunningBoard };

export interface EmulatorOptions {
  /** File keeping the board's module store across restarts. */
  state?: string;
}

export class EmulatorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmulatorError';
  }
}

/** Where `make firmware` puts the posix board, found from this file so any working directory works. */
export const POSIX_BOARD_BINARY = fileURLToPath(new URL('../../../build/firmware/posix/qiot-board', import.meta.url));

/** The posix board: the firmware as a Linux process on a pseudo-terminal. */
export interface PosixBoard extends RunningBoard {
  /** Sends a signal to the board process (e.g. SIGKILL to simulate a power cut). */
  kill(signal: NodeJS.Signals): void;
}

export async function launchPosixBoard(options: EmulatorOptions & { binary?: string } = {}): Promise<PosixBoard> {
  const binary = resolve(options.binary ?? POSIX_BOARD_BINARY);
  if (!existsSync(binary)) throw new EmulatorError(`posix board ${binary} not found: build it with \`make firmware\``);
  const args = options.state ? ['--state', resolve(options.state)] : [];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const port = await new Promise<string>((found, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new EmulatorError(`${binary} printed no PORT line within ${EMULATOR.startTimeoutMs} ms\n${stderr}`));
    }, EMULATOR.startTimeoutMs);
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      const match = /^PORT (\S+)$/.exec(line.trim());
      if (match) return found(match[1]);
      child.kill('SIGKILL'); // not a board we can talk to: do not leave it running
      fail(new EmulatorError(`${binary} printed '${line}' instead of 'PORT <path>'`));
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      fail(new EmulatorError(`cannot start ${binary}: ${err.message}`));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      fail(new EmulatorError(`${binary} exited (${signal ?? `code ${code}`}) before printing its port\n${stderr}`));
    });
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), EMULATOR.stopTimeoutMs);
    await exited;
    clearTimeout(timer);
  };
  return { port, log: () => stderr, exited, stop, kill: (signal) => child.kill(signal) };
}

export const EMULATORS: Record<string, { describe: string; launch(options: EmulatorOptions): Promise<RunningBoard> }> = {
  posix: {
    describe: 'the firmware as a Linux process on a pseudo-terminal (make firmware)',
    launch: (o) => launchPosixBoard(o),
  },
  rv32: {
    describe: 'bare-metal rv32imac firmware on qemu-system-riscv32 -M virt (make firmware-rv32)',
    launch: (o) => launchRv32Board({ flashImage: o.state }),
  },
};
