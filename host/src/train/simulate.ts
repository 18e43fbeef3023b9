// simulate(): one training run with the module in this process — what `qiot sim`
// does, as a function for scripts (the library API, host/src/index.ts).
import { loadConfig, parseConfig } from '../config/load.ts';
import { HOST_BUILD_LIMITS, LIMITS } from '../config/limits.ts';
import { applyOverrides, type ConfigOverrides } from '../config/overrides.ts';
import type { RunConfig, RunConfigInput } from '../config/schema.ts';
import { checkRunLogFree } from '../runlog/paths.ts';
import type { StepRecord } from '../runlog/schema.ts';
import { RunLogWriter } from '../runlog/writer.ts';
import { MODULE_BUILD_NAMES, moduleBuildPath, type ModuleBuild } from '../wasm/builds.ts';
import { QIOT_VERSION } from '../version.ts';
import { ModuleTarget, readModuleImage } from './module-target.ts';
import { runTraining, type RunResult } from './run.ts';

export interface SimulateOptions extends ConfigOverrides {
  /** A module build (device, device-f32, host) or a .wasm file; default the device build. */
  module?: ModuleBuild | string;
  /** Write the run log (JSON Lines) here; an existing file is refused unless `force`. */
  out?: string;
  force?: boolean;
  /** Called with every step record as it is made. */
  onStep?: (record: StepRecord) => void;
  /** Aborting stops the run after the current step (status 'interrupted'). */
  signal?: AbortSignal;
}

/**
 * Trains with `config` — a config file path, or a config object (defaults filled in,
 * validated like a file) — and resolves with the header, step records and summary
 * (final θ in `summary.params`). Errors carry a kind (QiotError): 'invalid' for a bad config.
 */
export async function simulate(config: string | RunConfigInput | RunConfig, opts: SimulateOptions = {}): Promise<RunResult> {
  const build = MODULE_BUILD_NAMES.find((b) => b === (opts.module ?? 'device'));
  const limits = build === 'host' ? HOST_BUILD_LIMITS : LIMITS;
  const overrides: ConfigOverrides = { steps: opts.steps, seed: opts.seed, optimizer: opts.optimizer, lr: opts.lr };
  const cfg =
    typeof config === 'string' ? loadConfig(config, overrides, limits) : parseConfig(applyOverrides(config, overrides), 'config', limits);
  const image = await readModuleImage(build ? moduleBuildPath(build) : opts.module);
  if (opts.out) checkRunLogFree(opts.out, opts.force ?? false);
  let writer: RunLogWriter | null = null;
  try {
    return await runTraining(new ModuleTarget(image), cfg, {
      qiotVersion: QIOT_VERSION,
      signal: opts.signal,
      sinks: [
        (record) => {
          if (opts.out) {
            writer ??= new RunLogWriter(opts.out);
            writer.write(record);
          }
          if (record.type === 'step') opts.onStep?.(record);
        },
      ],
    });
  } finally {
    (writer as RunLogWriter | null)?.close();
  }
}
