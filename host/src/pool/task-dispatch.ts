// Pool handler of a worker executor's task threads (fleet/task-threads.ts): each task names
// the handler module of its kind; a thread imports each module once and keeps it (and what
// it loads, e.g. its wasm module) for every later task of that kind.
export interface DispatchedTask {
  /** URL of the kind's handler module (pool/task-kinds.ts). */
  module: string;
  input: unknown;
}

type Handle = (input: unknown) => unknown;
const handlers = new Map<string, Promise<Handle>>();

async function load(module: string): Promise<Handle> {
  const { handle } = (await import(module)) as { handle?: unknown };
  if (typeof handle !== 'function') throw new TypeError(`${module} does not export handle(task)`);
  return handle as Handle;
}

export async function handle(task: DispatchedTask): Promise<unknown> {
  let h = handlers.get(task.module);
  if (!h) {
    h = load(task.module);
    handlers.set(task.module, h);
  }
  return (await h)(task.input);
}
