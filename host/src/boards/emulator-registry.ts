// Running emulated boards register themselves in a per-user runtime directory, one
// JSON file per process, so that `qiot ports` lists them (and only them among the
// pseudo-terminals: the user's own terminals are /dev/pts/N too) and `--probe` may
// write HELLO to them. A file whose process is gone is stale and removed on reading.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export interface EmulatorEntry {
  /** The board's pseudo-terminal (/dev/pts/N). */
  port: string;
  /** `qiot emulate --link PATH`: a stable symlink to the port. */
  link?: string;
  board: string;
  /** The process that serves the board (`qiot emulate`). */
  pid: number;
  started: string;
}

/** $QIOT_RUNTIME_DIR, else $XDG_RUNTIME_DIR/qiot, else <tmpdir>/qiot-<uid> (macOS has no XDG dir). */
export function runtimeDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.QIOT_RUNTIME_DIR) return env.QIOT_RUNTIME_DIR;
  if (env.XDG_RUNTIME_DIR) return join(env.XDG_RUNTIME_DIR, 'qiot');
  return join(tmpdir(), `qiot-${userInfo().uid}`);
}

const emulatorsDir = (env?: NodeJS.ProcessEnv) => join(runtimeDir(env), 'emulators');

/** Records a running emulator; the returned function removes the record (call it on exit). */
export function registerEmulator(entry: EmulatorEntry, env?: NodeJS.ProcessEnv): () => void {
  const dir = emulatorsDir(env);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `${entry.pid}-${Buffer.from(entry.port).toString('hex')}.json`);
  writeFileSync(file, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
  return () => rmSync(file, { force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The registered emulators whose process still runs, by port; stale records are deleted. */
export function listEmulators(env?: NodeJS.ProcessEnv): EmulatorEntry[] {
  const dir = emulatorsDir(env);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  const entries: EmulatorEntry[] = [];
  for (const name of names) {
    const file = join(dir, name);
    let entry: EmulatorEntry | null = null;
    try {
      entry = JSON.parse(readFileSync(file, 'utf8')) as EmulatorEntry;
    } catch {
      // torn or foreign file: treated as stale
    }
    if (entry && typeof entry.port === 'string' && Number.isInteger(entry.pid) && alive(entry.pid)) entries.push(entry);
    else rmSync(file, { force: true });
  }
  return entries.sort((a, b) => a.port.localeCompare(b.port, undefined, { numeric: true }));
}
