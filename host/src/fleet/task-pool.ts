// An experiment's pool on the fleet: the TaskPool shape (run, close) of pool/pool.ts, each
// task one `task` command to a worker executor that announces its kind (docs/fleet.md),
// handed out by the sweep's scheduler (scheduler.ts: one task per idle worker thread plus
// one kept, --wait, executors that drop a task skipped). A task whose worker goes offline,
// answers busy or never answers is queued again (at least once: a task's result is a pure
// function of the task, so a duplicate is harmless); one that fails in its handler rejects
// with the handler's message, the task and the worker named. Values travel exactly
// (task-value.ts): the result equals the local pool's.
import { QiotError } from '../errors.ts';
import type { TaskPool } from '../pool/pool.ts';
import type { FleetClient } from './client.ts';
import { FLEET } from './limits.ts';
import { isSummaryBody, type OnlineStatus } from './messages.ts';
import { Scheduler } from './scheduler.ts';
import { decodeTaskValue, encodeTaskValue } from './task-value.ts';

export interface FleetTaskPoolOptions<TIn> {
  client: FleetClient;
  /** The task kind (pool/task-kinds.ts); only executors announcing it take tasks. */
  kind: string;
  /** Only executors whose task code is this qiot version take tasks (another version's results could differ). */
  qiotVersion: string;
  /** Ctrl-C: waiting and running tasks reject as interrupted (a task already on a worker runs to its end there). */
  signal: AbortSignal;
  /** No worker taking a task for this long: the waiting tasks reject (NoExecutorError, exit 3). */
  waitMs: number;
  onNote?(text: string): void;
  /** Names a task in messages (default: its JSON, shortened). */
  label?(task: TIn): string;
}

interface Job<TIn> {
  task: TIn;
  input: unknown;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export class FleetTaskPool<TIn, TOut> implements TaskPool<TIn, TOut> {
  private readonly scheduler: Scheduler<Job<TIn>>;
  private readonly closing = new AbortController();
  private readonly signal: AbortSignal;
  private draining: Promise<void> | null = null;

  constructor(private readonly opts: FleetTaskPoolOptions<TIn>) {
    this.signal = AbortSignal.any([opts.signal, this.closing.signal]);
    this.scheduler = new Scheduler<Job<TIn>>({
      client: opts.client,
      signal: this.signal,
      waitMs: opts.waitMs,
      onNote: opts.onNote,
      unfit: (s) => this.unfit(s),
      describe: () => this.describe(),
      remedy: '`qiot worker`',
      start: (job, executor, prefetch) => this.start(job, executor, prefetch),
    });
  }

  run(task: TIn): Promise<TOut> {
    if (this.signal.aborted) return Promise.reject(this.stopped());
    let input: unknown;
    try {
      input = encodeTaskValue(task);
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise<TOut>((resolve, reject) => {
      this.scheduler.add({ task, input, resolve: (v) => resolve(v as TOut), reject });
      this.pump();
    });
  }

  /** Rejects the tasks not finished yet; tasks already on a worker run to their end there, their results unused. */
  async close(): Promise<void> {
    this.closing.abort();
    await this.draining;
  }

  private pump(): void {
    if (this.draining) return;
    this.draining = this.scheduler.drain().then(
      (interrupted) => {
        this.draining = null;
        if (interrupted) this.rejectWaiting(this.stopped());
        else if (this.scheduler.waiting > 0) this.pump(); // added while this drain was ending
      },
      (err: unknown) => {
        this.draining = null;
        this.rejectWaiting(err instanceof Error ? err : new Error(String(err)));
      },
    );
  }

  private rejectWaiting(error: Error): void {
    for (const job of this.scheduler.takeWaiting()) job.reject(error);
  }

  private stopped(): Error {
    return this.opts.signal.aborted
      ? new QiotError(`interrupted: the '${this.opts.kind}' tasks not finished were not run`, 'interrupted')
      : new Error(`the fleet's '${this.opts.kind}' pool is closed`);
  }

  private label(task: TIn): string {
    if (this.opts.label) return this.opts.label(task);
    const json = JSON.stringify(task);
    return json.length > 100 ? `${json.slice(0, 99)}…` : json;
  }

  private unfit(s: OnlineStatus): string | null {
    const { kind, qiotVersion } = this.opts;
    if (!s.tasks?.kinds.includes(kind))
      return `${s.id} runs no '${kind}' tasks (${s.kind === 'board' ? 'a board runs no host code' : 'an older qiot worker'}): not used`;
    if (s.tasks.qiot_version !== qiotVersion)
      return `${s.id} runs the tasks of qiot ${s.tasks.qiot_version}, not ${qiotVersion}: not used (its results could differ)`;
    return null;
  }

  private describe(): string {
    const online = this.opts.client.online();
    if (online.length === 0) return 'no executor is online';
    const fit = online.filter((s) => this.unfit(s) === null).length;
    return `${online.length} executor(s) online, ${fit} running '${this.opts.kind}' tasks of qiot ${this.opts.qiotVersion}`;
  }

  /** One `task` command; settles when the task is over on this executor (done, failed, lost, or interrupted). */
  private start(job: Job<TIn>, executor: string, prefetch: boolean): Promise<void> {
    const { client, kind } = this.opts;
    return new Promise<void>((over) => {
      let ended = false;
      const end = (then: () => void) => {
        if (ended) return;
        ended = true;
        clearTimeout(silent);
        handle.cancel();
        this.signal.removeEventListener('abort', onAbort);
        then();
        over();
      };
      const lost = (why: string) =>
        end(() => {
          this.scheduler.bench(executor);
          const tries = this.scheduler.attempts(job);
          if (tries >= FLEET.sweepMaxAttempts)
            job.reject(new QiotError(`task ${this.label(job.task)} was lost ${tries} times, last on ${executor}: ${why}`, 'failed'));
          else {
            this.opts.onNote?.(`task ${this.label(job.task)}: ${why} — queued again`);
            this.scheduler.again(job);
          }
        });
      const failed = (why: string) =>
        end(() => job.reject(new QiotError(`task ${this.label(job.task)} failed on ${executor}: ${why}`, 'failed')));
      const onAbort = () => end(() => job.reject(this.stopped()));
      const handle = client.send(
        executor,
        'task',
        { kind, input: job.input, ...(prefetch ? { queue: true } : {}) },
        {
          onReply: (reply) => {
            clearTimeout(silent);
            if (reply.stage === 'queued' || reply.stage === 'ok') return;
            if (reply.stage === 'error') {
              const { error } = reply;
              if (error.kind === 'busy' || error.kind === 'unreachable') lost(`${executor}: ${error.message}`);
              else failed(error.message);
              return;
            }
            if (isSummaryBody(reply.result)) return failed("it answered 'task' with a run summary");
            let value: unknown;
            try {
              value = decodeTaskValue(reply.result.value);
            } catch (err) {
              return failed((err as Error).message);
            }
            end(() => job.resolve(value));
          },
          onLost: (err) => lost(err.message),
        },
      );
      // No first answer at all (e.g. a stale "online" status of an executor that is gone): lost.
      const silent = setTimeout(
        () => lost(`${executor} did not answer 'task' within ${FLEET.requestTimeoutMs} ms`),
        FLEET.requestTimeoutMs,
      );
      this.signal.addEventListener('abort', onAbort);
      if (this.signal.aborted) onAbort();
    });
  }
}
