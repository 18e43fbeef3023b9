// Pool handler of the deep-plateau experiment: a batch of first-parameter gradients (the
// depth scan) or one method run (the escape runs).
import { runConfigured, type ConfiguredRun, type RunMetrics } from './methods.ts';
import { firstGradients, type GradientBatch } from '../experiments/gradient-batch.ts';

export type DeepTask = GradientBatch | ({ kind: 'run' } & ConfiguredRun);

export function handle(task: DeepTask): Promise<number[] | RunMetrics> {
  return task.kind === 'gradients' ? firstGradients(task) : runConfigured(task);
}
