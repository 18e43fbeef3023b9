// The posix board: the firmware as a Linux process on a pseudo-terminal (make firmware;
// an installed package builds it on first use, posix-build.ts).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { BoardLaunchError, type BoardDefinition, type LaunchOptions, type RunningBoard } from './board.ts';
import { packagePath } from '../package-root.ts';
import { POSIX } from './limits.ts';
import { ensurePosixBoard } from './posix-build.ts';

/** Where `make firmware` puts the posix board, found from this file so any working directory works. */
export const POSIX_BOARD_BINARY = packagePath('build', 'firmware', 'posix', 'qiot-board');

export type PosixBoard = RunningBoard;

export async function launchPosixBoard(options: LaunchOptions = {}): Promise<RunningBoard> {
  const binary = resolve(options.firmware ?? ensurePosixBoard(POSIX_BOARD_BINARY));
  if (!existsSync(binary)) throw new BoardLaunchError(`posix board ${binary} not found: build it with \`make firmware\``);
  const args = options.state ? ['--state', resolve(options.state)] : [];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const port = await new Promise<string>((found, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new BoardLaunchError(`${binary} printed no PORT line within ${POSIX.startTimeoutMs} ms\n${stderr}`));
    }, POSIX.startTimeoutMs);
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      const match = /^PORT (\S+)$/.exec(line.trim());
      if (match) return found(match[1]);
      child.kill('SIGKILL'); // not a board we can talk to: do not leave it running
      fail(new BoardLaunchError(`${binary} printed '${line}' instead of 'PORT <path>'`));
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      fail(new BoardLaunchError(`cannot start ${binary}: ${err.message}`));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      fail(new BoardLaunchError(`${binary} exited (${signal ?? `code ${code}`}) before printing its port\n${stderr}`));
    });
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), POSIX.stopTimeoutMs);
    await exited;
    clearTimeout(timer);
  };
  return { port, pid: child.pid, log: () => stderr, exited, stop, kill: (signal) => child.kill(signal) };
}

export const posixBoard: BoardDefinition = {
  name: 'posix',
  describe: 'the firmware as a Linux process on a pseudo-terminal (make firmware)',
  reportsAs: 'posix',
  launch: (options) => launchPosixBoard(options),
  buildTarget: 'firmware',
  stateFileName: 'store.bin',
  /** The reference: wasm3 natively on x86; every base duration is measured here. */
  timeScale: 1,
  uploadWindow: 8,
  /** Issue 4: at least 20 interrupted uploads. */
  uploadCutTrials: 20,
};
