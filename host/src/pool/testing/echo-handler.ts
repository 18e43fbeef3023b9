// Pool test handler: echoes, squares, throws or kills its worker on request, and reports
// its thread id and how many tasks this worker instance has served (state kept per worker).
import { existsSync } from 'node:fs';
import { threadId } from 'node:worker_threads';

let served = 0;

export type EchoTask =
  | { kind: 'square'; x: number }
  | { kind: 'throw'; message: string }
  | { kind: 'exit' }
  /** Its value back, with numbers JSON cannot hold made in the thread. */
  | { kind: 'echo'; value: unknown }
  /** Its value back once the file `until` exists (a test holds the thread busy). */
  | { kind: 'hold'; until: string; value: number };

export async function handle(task: EchoTask): Promise<unknown> {
  served++;
  if (task.kind === 'hold') {
    while (!existsSync(task.until)) await new Promise((r) => setTimeout(r, 10));
    return task.value;
  }
  if (task.kind === 'echo') return { echoed: task.value, made: [0 / 0, -1 / 0, 1 / 0, -0 * 1, 0.1 + 0.2, -Number.MIN_VALUE] };
  if (task.kind === 'throw') throw new Error(task.message);
  if (task.kind === 'exit') process.exit(7);
  return { value: task.x * task.x, threadId, served };
}
