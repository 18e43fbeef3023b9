// Who holds a serial port: serialport opens ports with an exclusive lock, so a
// second qiot process on the same port (a monitor beside a train) is refused with
// "Cannot lock port". On Linux the lock's owner is read from /proc/locks (else any
// process with the port open, from /proc/*/fd), so the message can name it.
import { readdirSync, readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs';

export interface PortHolder {
  pid: number;
  /** The holder's command line, space-separated (as `ps -o args` shows it). */
  command: string;
}

/** True for the error serialport gives when another process holds the port's lock. */
export function isPortLockedError(err: unknown): boolean {
  const message = (err as Error | null)?.message ?? '';
  return /Cannot lock port/i.test(message) || (err as NodeJS.ErrnoException | null)?.code === 'EBUSY';
}

function resolved(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function commandOf(pid: number, procRoot: string): string {
  try {
    return readFileSync(`${procRoot}/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ') || '?';
  } catch {
    return '?'; // exited meanwhile, or not ours to read: keep the pid
  }
}

/** Linux's "MAJ:MIN:INODE" of a file as /proc/locks writes it (major and minor in hex). */
export function lockKeyOf(dev: number, ino: number): string {
  const major = (dev >>> 8) & 0xfff;
  const minor = (dev & 0xff) | ((dev >>> 12) & 0xfff00);
  return `${major.toString(16).padStart(2, '0')}:${minor.toString(16).padStart(2, '0')}:${ino}`;
}

/** Pids holding a flock on the file (serialport's lock), from /proc/locks. */
function lockHolders(path: string, procRoot: string): number[] {
  let key: string;
  let locks: string;
  try {
    const st = statSync(path);
    key = lockKeyOf(st.dev, st.ino);
    locks = readFileSync(`${procRoot}/locks`, 'utf8');
  } catch {
    return [];
  }
  const pids = new Set<number>();
  for (const line of locks.split('\n')) {
    // "1: FLOCK  ADVISORY  WRITE 31769 00:1a:3 0 EOF"
    const f = line.trim().split(/\s+/);
    if (f[1] === 'FLOCK' && f[5] === key) pids.add(Number(f[4]));
  }
  pids.delete(process.pid);
  return [...pids];
}

/** Pids with a descriptor open on the file (fallback when no lock is listed). */
function openerPids(path: string, procRoot: string): number[] {
  const target = resolved(path);
  let pids: string[];
  try {
    pids = readdirSync(procRoot).filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid);
  } catch {
    return [];
  }
  return pids
    .filter((pid) => {
      try {
        return readdirSync(`${procRoot}/${pid}/fd`).some((fd) => {
          try {
            return readlinkSync(`${procRoot}/${pid}/fd/${fd}`) === target;
          } catch {
            return false;
          }
        });
      } catch {
        return false; // gone, or another user's process
      }
    })
    .map(Number);
}

/** The processes (other than this one) holding `path`: the lock's owner from /proc/locks,
 *  else every process with it open; [] where /proc is not available. */
export function findPortHolders(path: string, procRoot = '/proc'): PortHolder[] {
  const locked = lockHolders(path, procRoot);
  const pids = locked.length > 0 ? locked : openerPids(path, procRoot);
  return pids.map((pid) => ({ pid, command: commandOf(pid, procRoot) }));
}

/** "held by pid 123 (node qiot train …)", or a hint when the holder cannot be seen. */
export function describePortHolders(path: string, holders: PortHolder[] = findPortHolders(path)): string {
  if (holders.length === 0) {
    return `${path} is in use by another program (its lock is held; the holder is not visible to this user)`;
  }
  const named = holders.map((h) => `pid ${h.pid} (${h.command.length > 120 ? `${h.command.slice(0, 117)}...` : h.command})`);
  return `${path} is in use by ${named.join(', ')}: stop it or wait for it to finish (one program at a time can talk to a board)`;
}
