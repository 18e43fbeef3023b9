// The `task` op's side of a worker process (docs/fleet.md): units of an experiment's pool
// (pool/task-kinds.ts) run in worker threads, one pool shared by the process's executors and
// created on the first task (a worker that only trains starts no task threads).
import { MODULE_EXTENSION } from '../package-root.ts';
import { WorkerPool } from '../pool/pool.ts';
import type { DispatchedTask } from '../pool/task-dispatch.ts';
import { TASK_KINDS } from '../pool/task-kinds.ts';

const DISPATCH = new URL(`../pool/task-dispatch${MODULE_EXTENSION}`, import.meta.url);

/** What an executor needs to answer `task`: the kinds it runs and a way to run one. */
export interface TaskRunner {
  readonly kinds: readonly string[];
  /** The handler's result; rejects with the handler's error. */
  run(kind: string, input: unknown): Promise<unknown>;
}

export class TaskThreads implements TaskRunner {
  readonly kinds: readonly string[];
  private pool: WorkerPool<DispatchedTask, unknown> | null = null;

  /** `registry`: kind → handler module (tests add their own kinds). */
  constructor(
    private readonly threads: number,
    private readonly registry: Readonly<Record<string, URL>> = TASK_KINDS,
  ) {
    this.kinds = Object.keys(registry);
  }

  run(kind: string, input: unknown): Promise<unknown> {
    if (!Object.hasOwn(this.registry, kind)) return Promise.reject(new Error(`unknown task kind '${kind}'`));
    this.pool ??= new WorkerPool<DispatchedTask, unknown>(DISPATCH, this.threads);
    return this.pool.run({ module: this.registry[kind].href, input });
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.close();
  }
}
