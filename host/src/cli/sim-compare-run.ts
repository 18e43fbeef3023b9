// One run of `qiot sim --compare` (one optimizer on one seed): in this process, or as a
// task of a WorkerPool (`handle`, --workers > 1). Either way it is runSession writing the
// same run log. A worker cannot be handed the AbortSignal of Ctrl-C: the pool's tasks share
// a flag in a SharedArrayBuffer instead, which each worker polls while its run yields
// between steps (the run then stops after its current step, as in this process).
import { loadConfig } from '../config/load.ts';
import type { Limits } from '../config/limits.ts';
import type { ConfigOverrides } from '../config/overrides.ts';
import type { SummaryRecord } from '../runlog/schema.ts';
import { ModuleTarget, type ModuleImage } from '../train/module-target.ts';
import { runSession } from './run-session.ts';

export interface CompareRunTask {
  image: ModuleImage;
  configPath: string;
  overrides: ConfigOverrides;
  limits?: Limits;
  optimizer: string;
  seed: number;
  out: string;
  force?: boolean;
  label: string;
}

export interface CompareRunResult {
  summary: SummaryRecord;
  initialLoss: number | null;
  /** θ₀ the module drew, to check every optimizer of a seed starts from the same one. */
  theta: Float64Array;
}

export async function runCompareRun(
  task: CompareRunTask,
  session: { quiet?: boolean; chart?: boolean; signal?: AbortSignal },
): Promise<CompareRunResult> {
  const cfg = loadConfig(task.configPath, { ...task.overrides, optimizer: task.optimizer, seed: task.seed }, task.limits);
  const target = new ModuleTarget(task.image);
  const result = await runSession(target, cfg, { out: task.out, force: task.force, json: false, label: task.label, ...session });
  return { summary: result.summary, initialLoss: result.steps[0]?.loss ?? null, theta: target.initialParameters() };
}

/** A pool task: the run, unless Ctrl-C came before it started (null: no log written). */
export interface PooledCompareRun extends CompareRunTask {
  /** Int32 flag set to 1 by the first Ctrl-C. */
  stop: SharedArrayBuffer;
}

const STOP_POLL_MS = 50; // how often a worker's run looks for Ctrl-C (it then stops after its current step)

export async function handle(task: PooledCompareRun): Promise<CompareRunResult | null> {
  const flag = new Int32Array(task.stop);
  if (Atomics.load(flag, 0) !== 0) return null;
  const controller = new AbortController();
  const poll = setInterval(() => {
    if (Atomics.load(flag, 0) !== 0) controller.abort();
  }, STOP_POLL_MS);
  try {
    return await runCompareRun(task, { quiet: true, signal: controller.signal });
  } finally {
    clearInterval(poll);
  }
}
