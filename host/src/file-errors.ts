// File errors as people read them: "cannot write out/report.md: read-only file system".
// Node's own messages ("EROFS: read-only file system, open '…'") name the code first and
// sometimes no path; every command reports files through these instead.
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { QiotError } from './errors.ts';

const WHY: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EISDIR: 'is a directory',
  ENOTDIR: 'a parent in the path is not a directory',
  ENOSPC: 'no space left on the device',
  EEXIST: 'already exists',
  EINVAL: 'the file does not accept this (a /proc or /sys file?)',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'the name is too long',
  EFBIG: 'the file is too large',
  EDQUOT: 'disk quota exceeded',
  ELOOP: 'too many symbolic links',
  EBUSY: 'busy',
  EPIPE: 'the reader went away',
};

/** An errno error from node:fs (it has a code and a syscall). */
export function isErrnoError(err: unknown): err is NodeJS.ErrnoException & { code: string } {
  const e = err as NodeJS.ErrnoException | null;
  return typeof e?.code === 'string' && /^E[A-Z0-9]+$/.test(e.code) && typeof e.syscall === 'string';
}

/** "no space left on the device (ENOSPC)". */
export function errnoReason(err: NodeJS.ErrnoException): string {
  const code = err.code ?? '';
  return WHY[code] ? `${WHY[code]} (${code})` : code || err.message;
}

/** A file that cannot be read or written: kind 'invalid' (exit 2), the message names the file. */
export class FileError extends QiotError {
  constructor(
    readonly path: string,
    action: 'read' | 'write' | 'create' | 'open',
    cause: NodeJS.ErrnoException,
    reason: string = errnoReason(cause),
  ) {
    super(`cannot ${action} ${path}: ${reason}`, 'invalid', { cause });
    this.name = 'FileError';
  }
}

/** The action an fs syscall was doing, for messages about errors that reach the top. */
export function actionOfSyscall(syscall: string | undefined): 'read' | 'write' | 'create' | 'open' {
  if (syscall === 'read' || syscall === 'scandir' || syscall === 'stat' || syscall === 'lstat') return 'read';
  if (syscall === 'write' || syscall === 'rename' || syscall === 'unlink' || syscall === 'copyfile') return 'write';
  if (syscall === 'mkdir') return 'create';
  return 'open';
}

/** Any node:fs error as a FileError (other errors unchanged). */
export function asFileError(err: unknown, path?: string, action?: 'read' | 'write' | 'create' | 'open'): unknown {
  if (err instanceof QiotError || !isErrnoError(err)) return err;
  const where = path ?? err.path ?? (err as { dest?: string }).dest;
  if (!where) return err;
  return new FileError(where, action ?? actionOfSyscall(err.syscall), err);
}

/**
 * mkdir -p that fails instead of spinning: Node's own recursive mkdirSync loops
 * forever under /proc (mkdir answers ENOENT though the parent exists). Throws a
 * FileError naming the directory.
 */
export function makeDirectory(dir: string): void {
  const parent = dirname(dir);
  try {
    mkdirSync(dir);
    return;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EEXIST') {
      if (statSync(dir).isDirectory()) return;
      throw new FileError(dir, 'create', e, 'a file of that name exists (a folder is needed)');
    }
    if (e.code !== 'ENOENT' || parent === dir || existsSync(parent)) throw asFileError(err, dir, 'create');
  }
  makeDirectory(parent);
  try {
    mkdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw asFileError(err, dir, 'create');
  }
}

/** writeFileSync with its parent folder made, failures as FileError naming the file. */
export function writeFileAt(path: string, data: string | Uint8Array): void {
  makeDirectory(dirname(path));
  try {
    writeFileSync(path, data);
  } catch (err) {
    throw asFileError(err, path, 'write');
  }
}
