// Launches the rv32 board: the bare-metal firmware on qemu-system-riscv32 -M virt,
// its UART on a pseudo-terminal, its module store in a pflash image that survives
// restarts. Returns the pty path; the host talks to it like any serial port.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { BoardLaunchError, type BoardDefinition, type RunningBoard } from './board.ts';
import { packagePath } from '../package-root.ts';
import { RV32 } from './limits.ts';

/** Where `make firmware-rv32` puts the board, found from this file so any working directory works. */
export const RV32_BOARD_ELF = packagePath('build', 'firmware', 'rv32', 'qiot-board.elf');

/** Whether QEMU's riscv32 system emulator is on PATH (tests skip the board without it). */
export function qemuAvailable(qemu = 'qemu-system-riscv32'): boolean {
  return spawnSync(qemu, ['--version'], { stdio: 'ignore' }).status === 0;
}

export interface Rv32LaunchOptions {
  /** Firmware ELF (default build/firmware/rv32/qiot-board.elf). */
  elf?: string;
  /** pflash image holding the module store across restarts; created empty when missing.
   *  Without one the board gets a fresh store in a temporary image, removed by stop(). */
  flashImage?: string;
  /** `-icount shift=0`: one instruction per virtual ns, so mcycle/minstret count instructions. */
  icount?: boolean;
  /** Unix socket for QEMU's human monitor (memory inspection by the budgets); none by default. */
  monitorSocket?: string;
  qemu?: string;
}

const PTY_LINE = /char device redirected to (\/dev\/pts\/\d+)/;

/** The QEMU command line of the board (exported so docs and scripts show the same). */
export function rv32QemuArgs(elf: string, flashImage: string, icount: boolean, monitorSocket?: string): string[] {
  return [
    '-M',
    'virt',
    '-m',
    RV32.machineMemory,
    // The firmware is loaded as the machine's boot program: with -bios none plus a
    // pflash drive QEMU would jump into the flash instead (docs/rv32.md).
    '-bios',
    elf,
    '-drive',
    `if=pflash,unit=1,format=raw,file=${flashImage}`,
    '-display',
    'none',
    '-monitor',
    monitorSocket ? `unix:${monitorSocket},server=on,wait=off` : 'none',
    '-serial',
    'pty',
    ...(icount ? ['-icount', 'shift=0'] : []),
  ];
}

/** Creates a sparse, all-zero store image of the size QEMU requires, or checks an existing one. */
export function ensureFlashImage(path: string): void {
  if (existsSync(path)) {
    const size = statSync(path).size;
    if (size !== RV32.flashImageBytes) {
      throw new BoardLaunchError(
        `${path} is ${size} bytes; QEMU's pflash needs exactly ${RV32.flashImageBytes} (delete it to start with an empty store)`,
      );
    }
    return;
  }
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'w');
  try {
    ftruncateSync(fd, RV32.flashImageBytes);
  } finally {
    closeSync(fd);
  }
}

export async function launchRv32Board(options: Rv32LaunchOptions = {}): Promise<RunningBoard> {
  const elf = resolve(options.elf ?? RV32_BOARD_ELF);
  if (!existsSync(elf)) throw new BoardLaunchError(`rv32 firmware ${elf} not found: run \`make firmware-rv32\``);
  const scratch = options.flashImage ? null : mkdtempSync(join(tmpdir(), 'qiot-rv32-'));
  const removeScratch = () => scratch && rmSync(scratch, { recursive: true, force: true });
  const flashImage = options.flashImage ? resolve(options.flashImage) : join(scratch!, 'store.img');
  try {
    ensureFlashImage(flashImage);
  } catch (err) {
    removeScratch();
    throw err;
  }
  const qemu = options.qemu ?? 'qemu-system-riscv32';
  const child = spawn(qemu, rv32QemuArgs(elf, flashImage, options.icount ?? false, options.monitorSocket), {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<number | null>((done) =>
    child.on('close', (code) => {
      removeScratch();
      done(code);
    }),
  );
  const port = await new Promise<string>((found, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new BoardLaunchError(`${qemu} printed no pty path within ${RV32.startTimeoutMs} ms:\n${stderr}`));
    }, RV32.startTimeoutMs);
    const scan = (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = PTY_LINE.exec(stderr);
      if (match) {
        clearTimeout(timer);
        found(match[1]);
      }
    };
    child.stderr.on('data', scan);
    child.stdout.on('data', scan);
    child.on('error', (err) => {
      clearTimeout(timer);
      removeScratch();
      fail(new BoardLaunchError(`cannot start ${qemu}: ${err.message} (install qemu-system-misc)`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      fail(new BoardLaunchError(`${qemu} exited (${signal ?? `code ${code}`}) before opening its pty:\n${stderr}`));
    });
  });
  return { port, log: () => stderr, exited, stop: () => stopQemu(child, exited), kill: (signal) => child.kill(signal) };
}

async function stopQemu(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), RV32.stopTimeoutMs);
  await exited;
  clearTimeout(timer);
}

export const rv32Board: BoardDefinition = {
  name: 'rv32',
  describe: 'bare-metal rv32imac firmware on qemu-system-riscv32 -M virt (make firmware-rv32)',
  /** firmware/ports/rv32/board.c board_name(). */
  reportsAs: 'rv32-qemu-virt',
  launch: (options) => launchRv32Board({ flashImage: options.state, elf: options.firmware }),
  buildTarget: 'firmware-rv32',
  stateFileName: 'pflash.img',
  /** wasm3 on rv32 under QEMU TCG (no KVM for a foreign ISA). Measured with the HIL suite's
   *  configs: a step is 30–60× slower than on the posix board, but those configs keep steps
   *  short, so the multiplier only has to cover QEMU's start-up (~1–3 s) and pflash writes on a
   *  loaded 2-core machine (a 13 KB upload took 1.2 s idle, 4.5 s at load 13). */
  timeScale: 10,
  /** The client's request timeout runs from the moment a chunk is sent, so the last of a window
   *  waits for all before it: QEMU programs pflash at 0.1 s per 1 KiB chunk idle and 0.4 s at
   *  load 10 on 2 cores, which with 8 in flight came close to and once exceeded the timeout. */
  uploadWindow: 2,
  /** Each trial relaunches QEMU. */
  uploadCutTrials: 4,
};
