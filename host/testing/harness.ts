// Shared setup of the end-to-end tests: the real posix board binary on a real
// pseudo-terminal, the real module, and a DeviceClient.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DeviceClient, type Liveness } from '../src/device/client.ts';
import { launchPosixBoard, type PosixBoard } from '../src/boards/posix.ts';
import { buildProgram, helpTextAfter } from '../src/cli/commands.ts';
import { listedExitCodes } from '../src/cli/exit-codes.ts';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const MODULE_PATH = join(REPO, 'build/qiot.wasm');
export const QIOT_CLI = join(REPO, 'host/bin/qiot.js');

export function readModule(): Uint8Array {
  return new Uint8Array(readFileSync(MODULE_PATH));
}

/** A scratch directory removed by the returned function. */
export function scratchDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'qiot-e2e-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface BoardSession {
  board: PosixBoard;
  client: DeviceClient;
  close(): Promise<void>;
}

export async function startBoard(options: { state?: string; liveness?: Liveness } = {}): Promise<BoardSession> {
  const board = await launchPosixBoard({ state: options.state });
  let client: DeviceClient;
  try {
    client = await DeviceClient.open(board.port, options.liveness ? { liveness: options.liveness } : {});
  } catch (err) {
    await board.stop();
    throw err;
  }
  const session: BoardSession = {
    board,
    client,
    // The test may have replaced the client (a reconnect): close whichever is current.
    close: async () => {
      await session.client.close().catch(() => undefined);
      await board.stop();
    },
  };
  return session;
}

export interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The exit codes the --help of the command `args` run lists (null: no command named, e.g. --version). */
async function declaredExitCodes(args: string[]): Promise<number[] | null> {
  const program = await buildProgram(args);
  let cmd = program;
  for (const arg of args) {
    const sub = cmd.commands.find((c) => c.name() === arg);
    if (sub) cmd = sub;
    else if (!arg.startsWith('-')) break;
  }
  if (cmd === program) return null;
  return listedExitCodes(helpTextAfter(cmd))?.map((l) => l.code) ?? null;
}

/**
 * Runs the CLI as a user does; `onLine` sees each stdout line as it arrives. An exit code
 * the command's --help does not list fails the test: every test of the CLI checks the lists.
 */
export async function qiot(
  args: string[],
  onLine?: (line: string, child: ChildProcess) => void,
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<Outcome> {
  const outcome = await runQiot(args, onLine, options);
  const declared = outcome.code === null ? null : await declaredExitCodes(args);
  if (declared && !declared.includes(outcome.code!)) {
    throw new Error(
      `qiot ${args.join(' ')} exited ${outcome.code}, which its --help does not list (${declared.join(', ')})\n${outcome.stderr}`,
    );
  }
  return outcome;
}

function runQiot(
  args: string[],
  onLine?: (line: string, child: ChildProcess) => void,
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [QIOT_CLI, ...args], {
      cwd: options.cwd ?? REPO,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    createInterface({ input: child.stdout }).on('line', (line) => {
      stdout += `${line}\n`;
      onLine?.(line, child);
    });
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
