// Node side of the PennyLane peer: a long-lived Python worker (pennylane_worker.py
// in the bench virtualenv) answering one JSON request per line.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Gate } from '../circuit.ts';
import type { LossAndGradient } from './jsqubits.ts';
import type { StepTimer, TimedSample } from '../timing.ts';

const WORKER = fileURLToPath(new URL('./pennylane_worker.py', import.meta.url));

export type PennylaneDevice = 'default.qubit' | 'lightning.qubit';

export interface PennylaneVersions {
  python: string;
  numpy: string;
  pennylane: string | null;
  pennylane_lightning: string | null;
  /** BLAS pools numpy loaded (threadpoolctl): library, version, kernel, threads. */
  blas: string[];
}

/**
 * Environment of the worker. One thread everywhere, like qiot (single-threaded
 * wasm), on a 2-core machine shared with the other contenders. OPENBLAS_CORETYPE
 * and OPENBLAS_L2_SIZE are removed: they pin an old kernel that slows current numpy.
 */
function workerEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', PYTHONUNBUFFERED: '1' };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

export class PennylaneWorker {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: Interface;
  private readonly pending: Array<{ resolve: (v: unknown) => void; reject: (e: Error) => void; what: string }> = [];
  private stderr = '';
  private exited: string | null = null;

  private constructor(python: string) {
    this.child = spawn(python, [WORKER], { env: workerEnvironment(), stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
    this.lines = createInterface({ input: this.child.stdout });
    this.lines.on('line', (line) => this.answer(line));
    const fail = (why: string) => {
      this.exited = why;
      for (const p of this.pending.splice(0)) p.reject(new Error(`PennyLane worker ${why} during ${p.what}: ${this.stderr.trim()}`));
    };
    this.child.on('error', (e) => fail(`could not start (${e.message})`));
    this.child.on('exit', (code, signal) => fail(`exited (code ${code}, signal ${signal})`));
  }

  static start(python: string): PennylaneWorker {
    if (!existsSync(python)) throw new Error(`PennyLane virtualenv python not found at ${python} (run: make bench-venv)`);
    return new PennylaneWorker(python);
  }

  private answer(line: string): void {
    const waiter = this.pending.shift();
    if (!waiter) return;
    let parsed: { error?: string };
    try {
      parsed = JSON.parse(line);
    } catch {
      waiter.reject(new Error(`PennyLane worker answered ${waiter.what} with non-JSON: ${line.slice(0, 200)}`));
      return;
    }
    if (parsed.error) waiter.reject(new Error(`PennyLane worker failed ${waiter.what}: ${parsed.error}`));
    else waiter.resolve(parsed);
  }

  request<T>(payload: Record<string, unknown>): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`PennyLane worker ${this.exited}: ${this.stderr.trim()}`));
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ resolve: resolve as (v: unknown) => void, reject, what: String(payload.op) });
      this.child.stdin.write(JSON.stringify(payload) + '\n');
    });
  }

  versions(): Promise<PennylaneVersions> {
    return this.request({ op: 'versions' });
  }

  async close(): Promise<void> {
    if (this.exited) return;
    const done = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin.end();
    await done;
  }
}

export interface PennylaneCircuit {
  device: PennylaneDevice;
  qubits: number;
  gates: readonly Gate[];
  shots: number;
  seed: number;
}

export function pennylaneLossAndGradient(worker: PennylaneWorker, circuit: PennylaneCircuit, theta: readonly number[]): Promise<LossAndGradient> {
  return worker.request({ op: 'loss_and_gradient', ...circuit, theta });
}

/** PennyLane's GradientDescentOptimizer.step_and_cost on a parameter-shift QNode. */
export function pennylaneStepTimer(worker: PennylaneWorker, circuit: PennylaneCircuit, theta: readonly number[], lr: number): StepTimer {
  return {
    timeSteps: (minSeconds, maxSteps) =>
      worker.request<TimedSample>({ op: 'time_steps', ...circuit, theta, lr, min_seconds: minSeconds, max_steps: maxSteps }),
  };
}
