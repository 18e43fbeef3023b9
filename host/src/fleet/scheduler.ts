// Hands jobs to the fleet's executors (docs/fleet.md, "sweep"): the scheduler of `qiot sweep`
// (train runs, sweep-run.ts) and of an experiment's fleet task pool (pool tasks, task-pool.ts).
// One job per idle executor that can take it, and a second (prefetch: `queue`) to one running
// one of ours; executors that lost or refused a job are skipped until their status changes; a
// job handed back (`again`) goes to the front of the queue. Nothing taken for `waitMs` →
// NoExecutorError. Jobs may be added while it drains (a pool's tasks arrive in waves).
import { QiotError } from '../errors.ts';
import type { FleetClient } from './client.ts';
import { FLEET } from './limits.ts';
import type { OnlineStatus } from './messages.ts';

export class NoExecutorError extends QiotError {
  constructor(message: string) {
    super(message, 'unreachable');
    this.name = 'NoExecutorError';
  }
}

export interface SchedulerOptions<J> {
  client: FleetClient;
  signal: AbortSignal;
  /** With no job running and jobs waiting for this long, drain() gives up (NoExecutorError). */
  waitMs: number;
  onNote?(text: string): void;
  /** Why this executor can never take these jobs (noted once per executor), or null. */
  unfit(s: OnlineStatus): string | null;
  /** The fleet as these jobs see it, for the waiting note and the give-up message. */
  describe(): string;
  /**
   * Asked when jobs wait and none runs (`fit`: some online executor is not unfit): an error ends
   * drain() at once instead of waiting `waitMs` (e.g. every executor that could take them refused the key).
   */
  giveUp?(fit: boolean): Error | null;
  /** What to start, in the give-up message: e.g. "`qiot worker`". */
  remedy: string;
  /**
   * Whether this executor can hold `job` (absent: any can). A job goes to the first executor that can; once the
   * statuses have settled (FLEET.discoverMs), one that no fit executor online can hold goes to any, whose start() says why.
   */
  fits?(job: J, s: OnlineStatus): boolean;
  /** An executor whose running job still needs it (a scheduled run's later segments): it is handed no second job meanwhile. */
  reserved?(executor: string): boolean;
  /**
   * Hands `job` to `executor` (`prefetch`: it is running one of ours, ask it to keep this one);
   * settles when the job is over for this executor. The job's outcome is the caller's business;
   * to run it again elsewhere, call again(job) (and bench(executor)) before settling.
   */
  start(job: J, executor: string, prefetch: boolean): Promise<void>;
}

export class Scheduler<J> {
  private readonly queue: J[] = [];
  /** Jobs handed out and not over; `onExecutor` counts them per executor. */
  private readonly running = new Set<Promise<void>>();
  private readonly onExecutor = new Map<string, number>();
  private readonly tries = new Map<J, number>();
  /** Executors that refused or dropped a job: skipped until their status changes. */
  private readonly benched = new Set<string>();
  private readonly noted = new Set<string>();
  private failure: unknown = null;
  private wake: () => void = () => undefined;

  constructor(private readonly opts: SchedulerOptions<J>) {}

  /** Jobs waiting for an executor. */
  get waiting(): number {
    return this.queue.length;
  }

  add(...jobs: J[]): void {
    this.queue.push(...jobs);
    this.wake();
  }

  /** Back to the front of the queue (its executor lost it). */
  again(job: J): void {
    this.queue.unshift(job);
    this.wake();
  }

  /** Skips `executor` until its status changes. */
  bench(executor: string): void {
    this.benched.add(executor);
  }

  /** How many times `job` was handed out. */
  attempts(job: J): number {
    return this.tries.get(job) ?? 0;
  }

  /** Jobs still waiting (taken out of the queue: an interrupted or failed drain's leftovers). */
  takeWaiting(): J[] {
    return this.queue.splice(0);
  }

  /**
   * Hands out jobs until none waits and none runs; true if the signal interrupted it (after the
   * running jobs settled). Throws NoExecutorError, or what a start() threw.
   */
  async drain(): Promise<boolean> {
    const opts = this.opts;
    const { client } = opts;
    const wakeUp = () => this.wake();
    const unwatch = client.onStatus((s) => {
      this.benched.delete(s.id);
      wakeUp();
    });
    opts.signal.addEventListener('abort', wakeUp);
    const since = Date.now();
    let idleSince = since;
    let waitingNoted = false;
    try {
      while (this.queue.length > 0 || this.running.size > 0) {
        if (this.failure !== null) {
          await Promise.allSettled(this.running.values());
          throw this.failure;
        }
        if (opts.signal.aborted) {
          await Promise.allSettled(this.running.values());
          return true;
        }
        // Idle executors first, then a second (kept) job for busy ones: a free executor never waits behind a prefetch.
        for (const second of [false, true]) {
          for (const s of client.online()) {
            if (this.queue.length === 0) break;
            if (!this.usable(s) || (this.onExecutor.get(s.id) ?? 0) !== (second ? 1 : 0)) continue;
            const job = this.pick(s, Date.now() - since > FLEET.discoverMs);
            if (job !== undefined) this.launch(job, s.id, second);
          }
        }
        const hopeless =
          this.running.size === 0 && this.queue.length > 0 ? opts.giveUp?.(client.online().some((s) => opts.unfit(s) === null)) : null;
        if (hopeless) throw hopeless;
        if (this.running.size > 0) {
          idleSince = Date.now();
          waitingNoted = false;
        } else if (this.queue.length > 0 && Date.now() - idleSince > opts.waitMs) {
          throw new NoExecutorError(
            `no executor took a run for ${Math.round(opts.waitMs / 1000)} s: ${opts.describe()}; start ${opts.remedy} on this broker`,
          );
        } else if (this.queue.length > 0 && !waitingNoted && Date.now() - idleSince > FLEET.sweepWaitingNoteMs) {
          waitingNoted = true;
          opts.onNote?.(`waiting for executors (${opts.describe()}); giving up after ${Math.round(opts.waitMs / 1000)} s`);
        }
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          setTimeout(resolve, 1_000).unref();
        });
      }
      return false;
    } finally {
      this.wake = () => undefined;
      unwatch();
      opts.signal.removeEventListener('abort', wakeUp);
    }
  }

  private usable(s: OnlineStatus): boolean {
    const why = this.opts.unfit(s);
    if (why !== null) {
      if (!this.noted.has(s.id)) this.opts.onNote?.(why);
      this.noted.add(s.id);
      return false;
    }
    if (this.benched.has(s.id)) return false;
    const mine = this.onExecutor.get(s.id) ?? 0;
    // An idle executor takes a job; one running ours that keeps a next one (`next` in its status) takes a
    // second with `queue`, so it starts the moment the first ends instead of one hand-out round trip later.
    // Not a provisioned board: a kept job's seal (fleet/auth.ts) would be made before the running job's
    // frames (and a Ctrl-C stop) spent their counters, and the board would refuse it.
    // Nor one whose running job still needs it (reserved).
    return mine === 0 ? s.busy === null : mine === 1 && s.next !== undefined && !s.provisioned && !this.opts.reserved?.(s.id);
  }

  /** The first waiting job `s` can hold; once `settled`, also one that no fit executor online can hold (see fits). */
  private pick(s: OnlineStatus, settled: boolean): J | undefined {
    const fits = this.opts.fits;
    if (!fits) return this.queue.shift();
    const nowhere = (job: J) => !this.opts.client.online().some((o) => this.opts.unfit(o) === null && fits(job, o));
    const at = this.queue.findIndex((job) => fits(job, s) || (settled && nowhere(job)));
    return at < 0 ? undefined : this.queue.splice(at, 1)[0];
  }

  private launch(job: J, executor: string, prefetch: boolean): void {
    this.tries.set(job, this.attempts(job) + 1);
    this.onExecutor.set(executor, (this.onExecutor.get(executor) ?? 0) + 1);
    const over = this.opts
      .start(job, executor, prefetch)
      .catch((err: unknown) => {
        this.failure ??= err;
      })
      .finally(() => {
        this.running.delete(over);
        this.onExecutor.set(executor, (this.onExecutor.get(executor) ?? 1) - 1);
        this.wake();
      });
    this.running.add(over);
  }
}
