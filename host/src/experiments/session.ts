// One training session of build/qiot.wasm for the experiments: a fresh module
// instance (QiotModule) configured from a RunConfig and its data set, with θ
// readable and writable between steps.
import { readFileSync } from 'node:fs';
import { abiConfigOf } from '../config/encode.ts';
import type { RunConfig } from '../config/schema.ts';
import { loadDataset } from '../data/load.ts';
import { packDataset } from '../data/pack.ts';
import { STATUS, statusName } from '../wasm/abi.ts';
import { DEFAULT_MODULE_PATH, QiotModule } from '../wasm/module.ts';
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

export const MODULE_PATH: string = DEFAULT_MODULE_PATH;

let moduleBytes: Uint8Array<ArrayBuffer> | null = null;

/** Thousands of sessions share one read of the module file. */
function freshModule(): QiotModule {
  if (!moduleBytes) {
    try {
      moduleBytes = new Uint8Array(readFileSync(MODULE_PATH));
    } catch {
      throw new Error(`cannot read ${MODULE_PATH}: build it first with \`make runtime\``);
    }
  }
  return QiotModule.fromBytes(moduleBytes);
}

/** A fresh module instance initialised for `cfg`; `theta0` (if given) replaces the seeded θ₀. */
export async function openSession(cfg: RunConfig, theta0?: readonly number[]): Promise<Session> {
  const module = freshModule();
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
