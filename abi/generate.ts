// Writes every file derived from abi/qiot-abi.ts (docs/architecture.md "Changing the ABI").
// Run by `make runtime` (and `make abi`): npx tsx abi/generate.ts
// A test (abi/generate.test.ts) regenerates into memory and fails when a committed file is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cSource } from './emit-c.ts';
import { configSource } from './emit-config.ts';
import { docsWithTables } from './emit-docs.ts';
import { hostSource } from './emit-host.ts';
import { runtimeSource } from './emit-runtime.ts';
import { checkDescription } from './layout.ts';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface Output {
  /** Relative to the repository root. */
  path: string;
  content: string;
}

/** The generated files, from the description and (for docs/abi.md) the current hand-written text. */
export function outputs(read: (path: string) => string = (path) => readFileSync(ROOT + path, 'utf8')): Output[] {
  checkDescription();
  return [
    { path: 'runtime/abi.generated.ts', content: runtimeSource() },
    { path: 'host/src/wasm/abi.generated.ts', content: hostSource() },
    { path: 'host/src/config/abi-fields.generated.ts', content: configSource() },
    { path: 'firmware/core/qiot_abi.h', content: cSource() },
    { path: 'docs/abi.md', content: docsWithTables(read('docs/abi.md')) },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const { path, content } of outputs()) writeFileSync(ROOT + path, content);
}
