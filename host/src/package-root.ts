// The folder of the qiot package — the repository, or the installed package — found
// from this file, so the build outputs it ships (build/qiot.wasm, build/dashboard/,
// the firmware) are found both from host/src/*.ts (tsx) and from dist/host/src/*.js.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'qiot') return dir;
    if (dirname(dir) === dir) throw new Error(`no qiot package.json above ${from}`);
  }
}

export const PACKAGE_ROOT: string = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside the package, e.g. packagePath('build', 'qiot.wasm'). */
export function packagePath(...parts: string[]): string {
  return join(PACKAGE_ROOT, ...parts);
}

/** The extension of this package's own modules: .ts from the sources, .js when compiled (worker entry points). */
export const MODULE_EXTENSION: string = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
