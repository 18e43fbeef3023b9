import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asFileError, errnoReason, FileError, makeDirectory, writeFileAt } from './file-errors.ts';

const errno = (code: string, syscall = 'open', path?: string) =>
  Object.assign(new Error(`${code}: raw, ${syscall} '${path}'`), { code, syscall, path }) as NodeJS.ErrnoException;

describe('file errors', () => {
  it('say what went wrong in words, naming the file and the code', () => {
    expect(errnoReason(errno('EROFS'))).toBe('read-only file system (EROFS)');
    expect(errnoReason(errno('EACCES'))).toBe('permission denied (EACCES)');
    const e = asFileError(errno('EISDIR', 'open', 'out/report.md'));
    expect(e).toBeInstanceOf(FileError);
    expect((e as FileError).message).toBe('cannot open out/report.md: is a directory (EISDIR)');
    expect((e as FileError).kind).toBe('invalid'); // exit 2
    const plain = new Error('not a file error');
    expect(asFileError(plain)).toBe(plain);
  });

  it('makeDirectory is mkdir -p that ends under /proc (Node’s recursive mkdirSync spins there)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qiot-files-'));
    try {
      makeDirectory(join(dir, 'a/b/c'));
      expect(statSync(join(dir, 'a/b/c')).isDirectory()).toBe(true);
      makeDirectory(join(dir, 'a/b/c')); // exists: fine
      writeFileSync(join(dir, 'f'), '');
      expect(() => makeDirectory(join(dir, 'f'))).toThrow(`cannot create ${join(dir, 'f')}: a file of that name exists`);
      expect(() => makeDirectory(join(dir, 'f/g'))).toThrow(/a parent in the path is not a directory \(ENOTDIR\)/);
      expect(() => makeDirectory('/proc/qiot-nope/x')).toThrow(/^cannot create \/proc\/qiot-nope: no such file or directory \(ENOENT\)$/);
      expect(() => writeFileAt(join(dir, 'a'), 'x')).toThrow(`cannot write ${join(dir, 'a')}: is a directory (EISDIR)`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
