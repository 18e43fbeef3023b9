// Reading a module file for the commands that take one (flash, sign), and finding
// the module a run log was made with (resume, eval).
import { readFile } from 'node:fs/promises';
import { readModuleImage, type ModuleImage } from '../train/module-target.ts';
import { MODULE_BUILD_NAMES, moduleBuildPath, type ModuleBuild } from '../wasm/builds.ts';
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

/**
 * The module whose sha256 a run log names: `module` (a build name or a file) when given,
 * else whichever build of this installation matches.
 */
export async function moduleImageBySha(sha256: string, module: string | undefined, flag: string): Promise<ModuleImage> {
  const isBuild = (name: string): name is ModuleBuild => (MODULE_BUILD_NAMES as string[]).includes(name);
  const candidates = module !== undefined ? [isBuild(module) ? moduleBuildPath(module) : module] : MODULE_BUILD_NAMES.map(moduleBuildPath);
  for (const path of candidates) {
    const image = await readModuleImage(path).catch(() => null);
    if (image?.sha256 === sha256) return image;
  }
  throw new CliError(
    `${flag}: the run used a module with sha256 ${sha256.slice(0, 16)}…, ` +
      (module !== undefined ? `not ${module}` : `none of the builds (${MODULE_BUILD_NAMES.join(', ')}); name its file with --module`),
    EXIT.usage,
  );
}
