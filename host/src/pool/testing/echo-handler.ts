// Pool test handler: echoes, squares, throws or kills its worker on request, and reports
// its thread id and how many tasks this worker instance has served (state kept per worker).
import { threadId } from 'node:worker_threads';

let served = 0;

export type EchoTask = { kind: 'square'; x: number } | { kind: 'throw'; message: string } | { kind: 'exit' };

export function handle(task: EchoTask): { value: number; threadId: number; served: number } {
  served++;
  if (task.kind === 'throw') throw new Error(task.message);
  if (task.kind === 'exit') process.exit(7);
  return { value: task.x * task.x, threadId, served };
}
