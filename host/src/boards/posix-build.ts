// The posix board of an installed package: the package ships the firmware sources
// and their make fragment, not a binary (a binary would fit one OS, libc and CPU
// only), so the first `qiot emulate` builds it with the user's cc into a cache
// folder — the same rules as `make firmware` in the repository (firmware/firmware.mk:
// wasm3 from the pinned pywasm3 sdist via pip, checked by sha256). A repository
// checkout uses its own build/ (make firmware).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.ts';
import { QIOT_VERSION } from '../version.ts';
import { BoardLaunchError } from './board.ts';

/** $QIOT_CACHE_DIR, else $XDG_CACHE_HOME/qiot/<version>, else ~/.cache/qiot/<version>. */
export function firmwareCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.QIOT_CACHE_DIR) return env.QIOT_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'qiot', QIOT_VERSION);
}

/** The binary `make firmware` makes inside `buildDir`. */
export const posixBoardIn = (buildDir: string) => join(buildDir, 'firmware', 'posix', 'qiot-board');

/**
 * The posix board binary: the checkout's build/ when it is there, else the cached one,
 * built now when missing (cc, make, python3 with pip needed; its output goes to stderr).
 */
export function ensurePosixBoard(repoBinary: string, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): string {
  if (existsSync(repoBinary)) return repoBinary;
  const buildDir = firmwareCacheDir();
  const binary = posixBoardIn(buildDir);
  if (existsSync(binary)) return binary;
  if (!existsSync(join(PACKAGE_ROOT, 'firmware', 'firmware.mk'))) {
    throw new BoardLaunchError(`posix board ${repoBinary} not found and no firmware sources to build it from`);
  }
  log(`qiot: building the posix board firmware once into ${buildDir} (cc, make, python3 -m pip) …`);
  const make = spawnSync('make', ['-f', 'firmware/firmware.mk', `BUILD=${buildDir}`, 'firmware'], {
    cwd: PACKAGE_ROOT,
    stdio: ['ignore', 2, 2], // make's output to stderr: stdout carries `PORT …`
  });
  if (make.error)
    throw new BoardLaunchError(`cannot run make to build the posix board: ${make.error.message} (install make and a C compiler)`);
  if (make.status !== 0 || !existsSync(binary)) {
    throw new BoardLaunchError(`building the posix board failed (make exit ${make.status}); needs make, cc and python3 with pip`);
  }
  return binary;
}
