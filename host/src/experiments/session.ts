// One training session of a module build (default build/qiot.wasm, the device build) for
// the experiments: a fresh module instance (QiotModule) configured from a RunConfig and its
// data set, with θ readable and writable between steps.
import { readFileSync } from 'node:fs';
import { abiConfigOf } from '../config/encode.ts';
import type { RunConfig } from '../config/schema.ts';
import { loadDataset } from '../data/load.ts';
import { packDataset } from '../data/pack.ts';
import { STATUS, statusName } from '../wasm/abi.ts';
import { moduleBuildPath, type ModuleBuild } from '../wasm/builds.ts';
import { QiotModule } from '../wasm/module.ts';
import type { TelemetryRecord } from '../wasm/telemetry.ts';

/** The decoded telemetry record plus its 64 raw bytes (for run logs and bit-identity checks). */
export type StepOutcome = TelemetryRecord & { raw: Uint8Array };

export interface Session {
  readonly paramCount: number;
  params(): Float64Array;
  /** Writes θ (optimizer state such as Adam moments is kept, docs/abi.md). */
  setParams(theta: ArrayLike<number>): void;
  step(): StepOutcome;
  /** ∇L(θ) on the current mini-batch (charges its shots, does not move θ). */
  gradient(): Float64Array;
  evaluate(split: 0 | 1): number;
  accuracy(split: 0 | 1): number;
  /** Exact model output of sample i (training samples, then test samples). */
  output(sample: number): number;
}

const moduleBytes = new Map<ModuleBuild, Uint8Array<ArrayBuffer>>();

/** Thousands of sessions share one read of each module file. */
function freshModule(build: ModuleBuild): QiotModule {
  let bytes = moduleBytes.get(build);
  if (!bytes) {
    const path = moduleBuildPath(build);
    try {
      bytes = new Uint8Array(readFileSync(path));
    } catch {
      throw new Error(`cannot read ${path}: build it first with \`make runtime\``);
    }
    moduleBytes.set(build, bytes);
  }
  return QiotModule.fromBytes(bytes);
}

/**
 * A fresh instance of the module `build` (default: the device build) initialised for `cfg`;
 * `theta0` (if given) replaces the seeded θ₀.
 */
export async function openSession(cfg: RunConfig, theta0?: readonly number[], build: ModuleBuild = 'device'): Promise<Session> {
  const module = freshModule(build);
  const dataset = loadDataset(cfg);
  module.writeConfig(abiConfigOf(cfg, dataset, { hostParams: theta0 !== undefined }));
  if (dataset) module.writeDataset(packDataset(dataset));
  const code = module.init();
  if (code !== 0) throw new Error(`init() rejected the config: ${module.errorMessage(code)} (code ${code})`);
  if (theta0) module.setParams(theta0);
  return {
    paramCount: module.paramCount,
    params: () => module.getParams(),
    setParams: (theta) => module.setParams(theta),
    step: () => {
      const { status, record, raw } = module.step();
      return { ...record, status, raw };
    },
    gradient: () => {
      const { status, gradient } = module.gradient();
      if (status !== STATUS.OK) throw new Error(`gradient() returned ${statusName(status)}`);
      return gradient;
    },
    evaluate: (split) => module.evaluate(split),
    accuracy: (split) => module.accuracy(split),
    output: (sample) => module.output(sample),
  };
}
