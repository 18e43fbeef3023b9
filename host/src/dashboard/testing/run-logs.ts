// Real run logs for the dashboard tests: short `qiot sim` runs (the in-process
// module, build/qiot.wasm) written where a sweep would write them.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runSession } from '../../cli/run-session.ts';
import { loadConfig } from '../../config/load.ts';
import type { ConfigOverrides } from '../../config/overrides.ts';
import { ModuleTarget, readModuleImage } from '../../train/module-target.ts';

export const SYNTHETIC_NLR = join(import.meta.dirname, '../../../../examples/synthetic-nlr.json');

/** Runs each config (synthetic-nlr with overrides) and writes its log to dir/<name>.jsonl. */
export async function writeSimLogs(dir: string, runs: Record<string, ConfigOverrides>): Promise<string[]> {
  const image = await readModuleImage();
  const paths: string[] = [];
  for (const [name, overrides] of Object.entries(runs)) {
    const out = join(dir, `${name}.jsonl`);
    mkdirSync(dirname(out), { recursive: true });
    await runSession(new ModuleTarget(image), loadConfig(SYNTHETIC_NLR, overrides), { out, quiet: true });
    paths.push(out);
  }
  return paths;
}
