// A pool of worker threads, each importing one handler module (a module exporting
// `handle(task)`) once and keeping whatever it loads — e.g. one wasm module per worker —
// for all the tasks it is given. Tasks are structured-clone messages; results come back
// in task order. A task that throws rejects its promise with the worker's stack; a worker
// that dies is replaced and fails only the task it was running.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

const BOOTSTRAP = new URL('./bootstrap.mjs', import.meta.url);

export class PoolTaskError extends Error {
  constructor(
    message: string,
    readonly workerStack?: string,
  ) {
    super(message);
    this.name = 'PoolTaskError';
  }
}

interface Pending<TOut> {
  id: number;
  task: unknown;
  resolve: (value: TOut) => void;
  reject: (error: Error) => void;
}

interface Slot<TOut> {
  worker: Worker;
  busy: Pending<TOut> | null;
}

/** Default size: every core the process may use. */
export function defaultWorkerCount(): number {
  return availableParallelism();
}

/** Where an experiment runs its units: a WorkerPool here, or the fleet's workers (fleet/task-pool.ts). */
export interface TaskPool<TIn, TOut> {
  run(task: TIn): Promise<TOut>;
  close(): Promise<void>;
}

export class WorkerPool<TIn, TOut> implements TaskPool<TIn, TOut> {
  readonly size: number;
  private readonly slots: Slot<TOut>[] = [];
  private readonly queue: Pending<TOut>[] = [];
  private nextId = 0;
  private closed = false;

  /** handlerModule: URL of a module exporting `handle(task: TIn): TOut | Promise<TOut>`. */
  constructor(
    private readonly handlerModule: URL,
    workers: number = defaultWorkerCount(),
  ) {
    if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`WorkerPool: workers must be an integer ≥ 1, got ${workers}`);
    this.size = workers;
    for (let i = 0; i < workers; i++) this.slots.push(this.spawn());
  }

  run(task: TIn): Promise<TOut> {
    if (this.closed) return Promise.reject(new Error('WorkerPool: run() after close()'));
    return new Promise<TOut>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, task, resolve, reject });
      this.dispatch();
    });
  }

  /** Runs every task; results in task order. onDone is called as each one finishes. */
  map(tasks: readonly TIn[], onDone?: (done: number, total: number) => void): Promise<TOut[]> {
    return mapTasks(tasks, (t) => this.run(t), onDone);
  }

  /** Terminates every worker; queued and running tasks are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    const error = new Error('WorkerPool: closed');
    for (const p of this.queue.splice(0)) p.reject(error);
    await Promise.all(
      this.slots.map(async (slot) => {
        const running = slot.busy;
        slot.busy = null;
        await slot.worker.terminate();
        running?.reject(error);
      }),
    );
  }

  private spawn(): Slot<TOut> {
    const worker = new Worker(BOOTSTRAP, { workerData: { handlerModule: this.handlerModule.href } });
    const slot: Slot<TOut> = { worker, busy: null };
    worker.on('message', (msg: { id: number; ok: boolean; result?: TOut; error?: string }) => {
      const pending = slot.busy;
      if (!pending || pending.id !== msg.id) return;
      slot.busy = null;
      if (msg.ok) pending.resolve(msg.result as TOut);
      else pending.reject(new PoolTaskError(firstLine(msg.error ?? 'task failed'), msg.error));
      this.dispatch();
    });
    const fail = (error: Error) => {
      if (this.closed) return;
      const pending = slot.busy;
      slot.busy = null;
      pending?.reject(new PoolTaskError(`worker failed: ${error.message}`, error.stack));
      const index = this.slots.indexOf(slot);
      if (index >= 0) {
        void worker.terminate();
        this.slots[index] = this.spawn();
        this.dispatch();
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`worker exited with code ${code}`)));
    worker.unref();
    return slot;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.busy || this.queue.length === 0) continue;
      const next = this.queue.shift()!;
      slot.busy = next;
      slot.worker.ref();
      slot.worker.postMessage({ id: next.id, task: next.task });
    }
    for (const slot of this.slots) if (!slot.busy) slot.worker.unref();
  }
}

/** Every task through `run` at once; results in task order, onDone called as each one finishes. */
export function mapTasks<TIn, TOut>(
  tasks: readonly TIn[],
  run: (task: TIn) => Promise<TOut>,
  onDone?: (done: number, total: number) => void,
): Promise<TOut[]> {
  let done = 0;
  return Promise.all(
    tasks.map((t) =>
      run(t).then((r) => {
        onDone?.(++done, tasks.length);
        return r;
      }),
    ),
  );
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0];
}
