// WorkerPool: results in order from several real threads, per-worker state kept, errors and
// dead workers reported per task without losing the pool.
import { afterEach, describe, expect, it } from 'vitest';
import { WorkerPool } from './pool.ts';
import type { EchoTask } from './testing/echo-handler.ts';

const HANDLER = new URL('./testing/echo-handler.ts', import.meta.url);
type Out = { value: number; threadId: number; served: number };

let pool: WorkerPool<EchoTask, Out> | null = null;
afterEach(async () => {
  await pool?.close();
  pool = null;
});

describe('WorkerPool', () => {
  it('returns every result in task order, computed on more than one thread, each worker keeping its state', async () => {
    pool = new WorkerPool<EchoTask, Out>(HANDLER, 2);
    const tasks: EchoTask[] = Array.from({ length: 40 }, (_, i) => ({ kind: 'square', x: i }));
    const progress: number[] = [];
    const out = await pool.map(tasks, (done) => progress.push(done));
    expect(out.map((r) => r.value)).toEqual(tasks.map((_, i) => i * i));
    expect(progress).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    const threads = new Set(out.map((r) => r.threadId));
    expect(threads.size).toBe(2);
    expect(threads.has(0)).toBe(false); // never the main thread
    // served counts per thread reach the number of tasks that thread ran: state survives across tasks.
    for (const t of threads) {
      const mine = out.filter((r) => r.threadId === t);
      expect(Math.max(...mine.map((r) => r.served))).toBe(mine.length);
    }
  }, 60_000);

  it('rejects a throwing task with its message and a dead worker with its exit code; the pool keeps working', async () => {
    pool = new WorkerPool<EchoTask, Out>(HANDLER, 1);
    await expect(pool.run({ kind: 'throw', message: 'bad config 42' })).rejects.toThrow('Error: bad config 42');
    await expect(pool.run({ kind: 'exit' })).rejects.toThrow('worker failed: worker exited with code 7');
    expect((await pool.run({ kind: 'square', x: 3 })).value).toBe(9);
  }, 60_000);

  it('rejects what is queued on close and refuses new work; refuses a size below 1', async () => {
    pool = new WorkerPool<EchoTask, Out>(HANDLER, 1);
    const running = pool.map(Array.from({ length: 5 }, (_, i) => ({ kind: 'square', x: i })));
    const outcome = running.then(
      () => 'resolved',
      (e: Error) => e.message,
    );
    await pool.close();
    expect(await outcome).toBe('WorkerPool: closed');
    await expect(pool.run({ kind: 'square', x: 1 })).rejects.toThrow('run() after close()');
    expect(() => new WorkerPool(HANDLER, 0)).toThrow('workers must be an integer ≥ 1, got 0');
  }, 60_000);
});
