// The pool task kinds: each kind's handler module (a module exporting `handle(input)`, as for
// a WorkerPool). An experiment's local pool and a worker executor's `task` op (docs/fleet.md)
// run the same handler, so a unit gives the same result on either. Adding a kind is one line.
import { MODULE_EXTENSION } from '../package-root.ts';

const handler = (path: string) => new URL(`${path}${MODULE_EXTENSION}`, import.meta.url);

export const TASK_KINDS = {
  study: handler('../study/worker'),
  'deep-plateau': handler('../study/deep-plateau-worker'),
  'barren-plateau': handler('../experiments/gradient-worker'),
} as const satisfies Record<string, URL>;

export type TaskKind = keyof typeof TASK_KINDS;
