// Pool handler of the study: one run per task (each worker keeps its own read of the module).
import { runMethod, type RunMetrics, type RunTask } from './methods.ts';

export function handle(task: RunTask): Promise<RunMetrics> {
  return runMethod(task);
}
