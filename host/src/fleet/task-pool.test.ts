// The `task` op and the fleet task pool on the embedded broker, with executors whose task
// threads run the pool's test handler: results equal a local WorkerPool's of the same handler
// (NaN, ±∞ and −0 included, compared with isDeepStrictEqual, which tells −0 from 0); a
// handler that throws names the task and the worker; an unknown kind and a board answer with
// named errors; an executor that does not announce the kind is not used; no executor → the
// waiting tasks reject after --wait with the fleet described.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerPool } from '../pool/pool.ts';
import type { EchoTask } from '../pool/testing/echo-handler.ts';
import { QIOT_VERSION } from '../version.ts';
import { startEmbeddedBroker, type EmbeddedBroker } from './broker.ts';
import { FleetClient, RemoteError } from './client.ts';
import { isSummaryBody, type Reply } from './messages.ts';
import { Executor, type ExecutorBackend } from './executor.ts';
import { FleetTaskPool } from './task-pool.ts';
import { TaskThreads } from './task-threads.ts';

const ECHO = new URL('../pool/testing/echo-handler.ts', import.meta.url);

function backend(kind: 'worker' | 'board', tasks?: TaskThreads): ExecutorBackend {
  return {
    kind,
    identity: () => ({ target: { kind: 'node' }, moduleSha256: 'c'.repeat(64), abiVersion: 1 }),
    info: async () => ({}),
    flash: async () => ({ sha256: '', committed: false }),
    target: () => {
      throw new Error('no runs here');
    },
    ...(tasks ? { tasks } : {}),
  };
}

let broker: EmbeddedBroker;
let client: FleetClient;
const threads = new TaskThreads(2, { echo: ECHO });
const others = new TaskThreads(1, { other: ECHO });
const executors: Executor[] = [];
const notes: string[] = [];

beforeAll(async () => {
  broker = await startEmbeddedBroker(0, 0);
  const settings = { url: broker.url };
  for (const [id, b] of [
    ['tp-worker-0', backend('worker', threads)],
    ['tp-worker-1', backend('worker', threads)],
    ['tp-other-0', backend('worker', others)],
    ['tp-board-0', backend('board')],
  ] as const)
    executors.push(await Executor.start(settings, b, { id }));
  client = await FleetClient.connect(settings, 'tasktest');
  await client.discover(300);
}, 60_000);

afterAll(async () => {
  await client?.close();
  await Promise.allSettled(executors.map((e) => e.close()));
  await threads.close();
  await others.close();
  await broker?.close();
});

const pool = <T>(waitMs = 30_000, signal = new AbortController().signal) =>
  new FleetTaskPool<EchoTask, T>({
    client,
    kind: 'echo',
    qiotVersion: QIOT_VERSION,
    signal,
    waitMs,
    onNote: (t) => notes.push(t),
    label: (t) => `echo#${t.kind}`,
  });

describe('fleet task pool', () => {
  it('returns what a local pool of the same handler returns, exactly', async () => {
    const specials = [NaN, -0, Infinity, -Infinity, 0.1 + 0.2, 5e-324, { nested: [-0, NaN] }, 'text', null, true];
    const tasks: EchoTask[] = [
      ...specials.map((value): EchoTask => ({ kind: 'echo', value })),
      ...Array.from({ length: 10 }, (_, i): EchoTask => ({ kind: 'echo', value: { i, x: i / 7, neg: -i * 0 } })),
    ];
    const local = new WorkerPool<EchoTask, unknown>(ECHO, 2);
    const fleet = pool<unknown>();
    try {
      const [here, there] = await Promise.all([Promise.all(tasks.map((t) => local.run(t))), Promise.all(tasks.map((t) => fleet.run(t)))]);
      expect(there).toHaveLength(tasks.length);
      for (let i = 0; i < tasks.length; i++) expect(isDeepStrictEqual(there[i], here[i]), `task ${i}`).toBe(true);
      expect(Object.is((there[1] as { echoed: number }).echoed, -0)).toBe(true);
      expect((there[0] as { made: number[] }).made.map(String)).toEqual([
        'NaN',
        '-Infinity',
        'Infinity',
        '0',
        '0.30000000000000004',
        '-5e-324',
      ]);
      expect(Object.is((there[0] as { made: number[] }).made[3], -0)).toBe(true);
    } finally {
      await Promise.all([local.close(), fleet.close()]);
    }
    expect(notes).toContain("tp-other-0 runs no 'echo' tasks (an older qiot worker): not used");
    expect(notes).toContain("tp-board-0 runs no 'echo' tasks (a board runs no host code): not used");
  }, 60_000);

  it('rejects a task whose handler throws, naming the task, the worker and the message; the others still finish', async () => {
    const fleet = pool<{ value: number }>();
    try {
      const [bad, good] = await Promise.allSettled([fleet.run({ kind: 'throw', message: 'boom 42' }), fleet.run({ kind: 'square', x: 9 })]);
      expect(bad.status).toBe('rejected');
      const err = (bad as PromiseRejectedResult).reason as Error & { kind: string };
      expect(err.message).toMatch(/^task echo#throw failed on tp-worker-[01]: .*boom 42/);
      expect(err.kind).toBe('failed');
      expect(good.status === 'fulfilled' && good.value.value).toBe(81);
    } finally {
      await fleet.close();
    }
  }, 60_000);

  it('answers an unknown kind and a task sent to a board with named errors', async () => {
    const call = (id: string, kind: string) => client.call(id, 'task', { kind, input: {} });
    await expect(call('tp-worker-0', 'nonesuch')).rejects.toMatchObject({
      kind: 'unknown_op',
      message: "tp-worker-0: tp-worker-0 runs no task of kind 'nonesuch' (its kinds: echo)",
    });
    const board = await call('tp-board-0', 'echo').catch((e: unknown) => e);
    expect(board).toBeInstanceOf(RemoteError);
    expect(board).toMatchObject({
      kind: 'invalid',
      message: "tp-board-0: tp-board-0 is a board: task 'echo' runs qiot's host code, which only workers run",
    });
    // A kind name the schema refuses is named too.
    await expect(call('tp-worker-0', 'Bad Kind')).rejects.toMatchObject({
      kind: 'invalid',
      message: expect.stringMatching(/task kind name/),
    });
  }, 30_000);

  it('an executor keeps one queued task while it runs one, refuses a third as busy, and starts the kept one after done', async () => {
    const events: string[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'qiot-hold-'));
    const released = (n: number) => join(dir, `release-${n}`);
    const task = (n: number, queue: boolean) =>
      client.send(
        'tp-worker-0',
        'task',
        { kind: 'echo', input: { kind: 'hold', until: released(n), value: n }, ...(queue ? { queue } : {}) },
        {
          onReply: (r: Reply) =>
            events.push(
              `${r.stage} ${n}${r.stage === 'error' ? ` ${r.error.kind}` : r.stage === 'done' && !isSummaryBody(r.result) ? ` ${String(r.result.value)}` : ''}`,
            ),
          onLost: () => events.push(`lost ${n}`),
        },
      );
    const release = (n: number) => writeFileSync(released(n), '');
    const until = async (check: () => boolean) => {
      const t0 = Date.now();
      while (!check()) {
        if (Date.now() - t0 > 20_000) throw new Error(`stuck: ${events.join(', ')}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    task(1, false);
    await until(() => events.includes('ok 1'));
    const second = task(2, true);
    await until(() => events.includes('queued 2'));
    task(3, true);
    await until(() => events.includes('error 3 busy'));
    await until(() => {
      const s = client.statuses.get('tp-worker-0');
      return s?.state === 'online' && s.next === second.corr;
    });
    release(1);
    await until(() => events.includes('done 1 1'));
    await until(() => events.includes('ok 2'));
    release(2);
    await until(() => events.includes('done 2 2'));
    rmSync(dir, { recursive: true });
    expect(events).toEqual(['ok 1', 'queued 2', 'error 3 busy', 'done 1 1', 'ok 2', 'done 2 2']);
  }, 30_000);

  it('rejects the waiting tasks after --wait when no executor runs the kind, describing the fleet', async () => {
    const none = new FleetTaskPool<EchoTask, unknown>({
      client,
      kind: 'absent',
      qiotVersion: QIOT_VERSION,
      signal: new AbortController().signal,
      waitMs: 1_000,
    });
    try {
      await expect(none.run({ kind: 'square', x: 1 })).rejects.toMatchObject({
        kind: 'unreachable',
        message: `no executor took a run for 1 s: 4 executor(s) online, 0 running 'absent' tasks of qiot ${QIOT_VERSION}; start \`qiot worker\` on this broker`,
      });
    } finally {
      await none.close();
    }
  }, 30_000);

  it('rejects the tasks not finished as interrupted when the signal aborts', async () => {
    const abort = new AbortController();
    const fleet = pool<unknown>(30_000, abort.signal);
    const running = fleet.run({ kind: 'echo', value: 1 });
    abort.abort();
    await expect(running).rejects.toMatchObject({ kind: 'interrupted' });
    await expect(fleet.run({ kind: 'echo', value: 2 })).rejects.toMatchObject({ kind: 'interrupted' });
    await fleet.close();
  }, 30_000);
});
