// Shared set-up of the fleet tests that drive executors on a real Mosquitto: the broker and
// a sweep-side FleetClient (persistent, following telemetry) for the file, executors closed
// after it, a scripted backend whose runs emit their records when the test releases them,
// and waiting by condition (never by time).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { FleetClient } from '../src/fleet/client.ts';
import { Executor, type ExecutorBackend, type ExecutorOptions } from '../src/fleet/executor.ts';
import { expandSweep, type SweepRun } from '../src/fleet/sweep-grid.ts';
import { SweepOutput } from '../src/fleet/sweep-output.ts';
import { runSweep, type SweepResult } from '../src/fleet/sweep-run.ts';
import type { StepTelemetry, TargetSummary, TrainingTarget } from '../src/train/target.ts';
import { REPO } from './harness.ts';
import { startMosquitto, type Mosquitto } from './mosquitto.ts';

/** Resolves once `check()` holds (checked every 20 ms). */
export async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 20));
}

export interface FleetFixture {
  readonly broker: Mosquitto;
  readonly client: FleetClient;
  /** An executor closed after the file; resolves once the client sees it online. */
  executor(backend: ExecutorBackend, opts: ExecutorOptions): Promise<Executor>;
  /** Closed after the file, last registered first. */
  onClose(close: () => Promise<unknown>): void;
}

/** Mosquitto and a client for the test file (beforeAll / afterAll). */
export function fleetOnMosquitto(): FleetFixture {
  let broker: Mosquitto | undefined;
  let client: FleetClient | undefined;
  const closers: (() => Promise<unknown>)[] = [];
  beforeAll(async () => {
    broker = await startMosquitto();
    client = await FleetClient.connect({ url: broker.url }, 'test', { persistent: true });
    await client.watchTelemetry();
  });
  afterAll(async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    await client?.close();
    await broker?.stop();
  });
  const fixture: FleetFixture = {
    get broker() {
      if (!broker) throw new Error('fleetOnMosquitto: the broker starts in beforeAll');
      return broker;
    },
    get client() {
      if (!client) throw new Error('fleetOnMosquitto: the client connects in beforeAll');
      return client;
    },
    async executor(backend, opts) {
      const executor = await Executor.start({ url: fixture.broker.url }, backend, opts);
      closers.push(() => executor.close());
      await until(() => fixture.client.statuses.get(opts.id)?.state === 'online');
      return executor;
    },
    onClose(close) {
      closers.push(close);
    },
  };
  return fixture;
}

/** The sweep grid of examples/iris-nlr.json with `steps` steps, one run per seed. */
export function irisRuns(steps: number, seeds: number[]): SweepRun[] {
  const raw = { ...(JSON.parse(readFileSync(join(REPO, 'examples/iris-nlr.json'), 'utf8')) as object), steps };
  return expandSweep(raw, 'iris-nlr.json', { seeds, sets: [] });
}

/** runSweep of `runs` into `dir` (no resume, never interrupted) for executors running the module `moduleSha256`. */
export function sweepInto(
  client: FleetClient,
  runs: SweepRun[],
  dir: string,
  moduleSha256: string,
  opts: { waitMs: number; onNote?: (text: string) => void },
): Promise<SweepResult> {
  return runSweep({
    client,
    runs,
    output: new SweepOutput(dir, runs, false),
    moduleSha256,
    qiotVersion: 'test',
    signal: new AbortController().signal,
    ...opts,
  });
}

/**
 * Runs that wait for the test: each run's tag is its config's first byte (0 for an empty config); its
 * train() waits until release(tag) and then emits `records(tag)`.
 */
export class ScriptedRuns {
  readonly trained: number[] = [];
  private readonly waiting = new Map<number, () => void>();

  constructor(
    private readonly records: (tag: number) => Uint8Array[],
    private readonly sha256: string,
  ) {}

  /** Whether a run with this tag is waiting to be released. */
  started(tag: number): boolean {
    return this.waiting.has(tag);
  }

  release(tag: number): void {
    const go = this.waiting.get(tag);
    if (!go) throw new Error(`ScriptedRuns: no run ${tag} is waiting`);
    this.waiting.delete(tag);
    go();
  }

  backend(): ExecutorBackend {
    const identity = { target: { kind: 'node' as const }, moduleSha256: this.sha256, abiVersion: 1 };
    return {
      kind: 'worker',
      identity: () => identity,
      info: async () => ({}),
      flash: async () => ({ sha256: '', committed: false }),
      target: (): TrainingTarget => {
        let tag = 0;
        return {
          identity: async () => identity,
          configure: async (config: Uint8Array) => {
            tag = config[0] ?? 0;
          },
          train: async (_steps: number, onStep: (s: StepTelemetry) => void): Promise<TargetSummary> => {
            this.trained.push(tag);
            await new Promise<void>((r) => this.waiting.set(tag, r));
            for (const raw of this.records(tag)) onStep({ raw });
            return { status: 'completed', trainLoss: 0.5, testLoss: 0.5, testAccuracy: 1, shotsTotal: 0, paramCount: 1 };
          },
          stop: () => undefined,
        };
      },
    };
  }
}
