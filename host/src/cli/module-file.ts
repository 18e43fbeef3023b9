// Reading a module file for the commands that take one (flash, sign).
import { readFile } from 'node:fs/promises';
import { CliError, EXIT } from './exit-codes.ts';

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

export async function readModule(path: string): Promise<Uint8Array> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(
      code === 'ENOENT' ? `module ${path} not found (build it with \`make runtime\`)` : `cannot read ${path}: ${(err as Error).message}`,
      EXIT.usage,
    );
  }
  if (!WASM_MAGIC.every((b, i) => bytes[i] === b)) throw new CliError(`${path} is not a WebAssembly module (no \\0asm header)`, EXIT.usage);
  return new Uint8Array(bytes);
}
