// Pool handler of the barren-plateau experiment: one batch of first-parameter gradients.
import { firstGradients, type GradientBatch } from './gradient-batch.ts';

export function handle(task: GradientBatch): Promise<number[]> {
  return firstGradients(task);
}
