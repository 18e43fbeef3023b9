// Espressif's esptool (PyPI), installed on demand into a virtual environment under
// build/ at a pinned version, and run with its output passed through.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packagePath } from '../package-root.ts';
import { ESPTOOL } from './limits.ts';
import { FlashFirmwareError } from './flasher-args.ts';

const REPO_BUILD_DIR = packagePath('build');

export function esptoolVenv(buildDir: string = REPO_BUILD_DIR): string {
  return join(buildDir, ESPTOOL.venvDir);
}

function installedVersion(venv: string): string | null {
  const python = join(venv, 'bin', 'python');
  if (!existsSync(python) || !existsSync(join(venv, 'bin', 'esptool'))) return null;
  const probe = spawnSync(python, ['-c', 'import importlib.metadata as m; print(m.version("esptool"))'], { encoding: 'utf8' });
  return probe.status === 0 ? probe.stdout.trim() : null;
}

function run(command: string, args: string[], what: string): void {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: ESPTOOL.installTimeoutMs });
  if (result.error) {
    const missing = (result.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new FlashFirmwareError(
      missing
        ? `${command} not found: ${what} needs Python 3 with the venv module (Debian: apt-get install python3-venv)`
        : `${what} failed: ${result.error.message}`,
    );
  }
  if (result.status !== 0) {
    const tail = `${result.stderr}${result.stdout}`.trim().split('\n').slice(-5).join('\n');
    throw new FlashFirmwareError(`${what} failed (exit ${result.status}):\n${tail}`);
  }
}

/** Path of the esptool executable at the pinned version, installing it when needed. */
export function ensureEsptool(log: (line: string) => void, venv: string = esptoolVenv()): string {
  const esptool = join(venv, 'bin', 'esptool');
  const found = installedVersion(venv);
  if (found === ESPTOOL.version) return esptool;
  log(
    found
      ? `esptool ${found} in ${venv} is not the pinned ${ESPTOOL.version}: reinstalling`
      : `installing esptool ${ESPTOOL.version} into ${venv} (once)`,
  );
  if (!existsSync(join(venv, 'bin', 'python'))) run('python3', ['-m', 'venv', venv], `creating the Python virtual environment ${venv}`);
  run(
    join(venv, 'bin', 'python'),
    ['-m', 'pip', 'install', '--disable-pip-version-check', '--quiet', `esptool==${ESPTOOL.version}`],
    `pip install esptool==${ESPTOOL.version}`,
  );
  const installed = installedVersion(venv);
  if (installed !== ESPTOOL.version) {
    throw new FlashFirmwareError(`esptool ${ESPTOOL.version} did not install into ${venv} (found ${installed ?? 'nothing'})`);
  }
  return esptool;
}

export interface EsptoolRun {
  exitCode: number;
  /** The last lines esptool printed (to classify a failure). */
  tail: string;
}

/** Runs esptool, passing its output (including its progress) through to ours. */
export function runEsptool(
  esptool: string,
  args: string[],
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<EsptoolRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(esptool, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const keep = (chunk: Buffer) => {
      tail = (tail + chunk.toString('utf8')).slice(-4000);
    };
    child.stdout.on('data', (chunk: Buffer) => {
      out.write(chunk);
      keep(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err.write(chunk);
      keep(chunk);
    });
    child.on('error', (e) => reject(new FlashFirmwareError(`cannot run ${esptool}: ${e.message}`)));
    child.on('close', (code) => resolve({ exitCode: code ?? 1, tail }));
  });
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching the ESC (0x1b) that starts an ANSI colour sequence is the point.
const ANSI_ESCAPE = /\u001b\[[0-9;]*m/g;

/** The sentence that says why esptool stopped: its "A fatal error occurred: …" line when
 *  there is one, else its last line, without terminal colour codes. */
export function esptoolFailureReason(output: string): string {
  const lines = output
    .replace(ANSI_ESCAPE, '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const fatal = lines
    .map((l) => /A fatal error occurred: (.*)/.exec(l)?.[1])
    .filter(Boolean)
    .pop();
  return fatal ?? lines.pop() ?? 'no output';
}

/** esptool's words for "there is no chip answering on that port". */
export function isConnectFailure(output: string): boolean {
  return /Failed to connect|could not open port|No serial data received|port is busy|does not exist/i.test(output);
}
