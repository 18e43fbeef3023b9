// Node side of the PennyLane peer: a long-lived Python worker (pennylane_worker.py
// in the bench virtualenv) answering one JSON request per line.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Gate } from '../circuit.ts';
import type { LossAndGradient } from './jsqubits.ts';
import type { StepTimer, TimedSample } from '../timing.ts';
import { JsonLinesWorker } from './json-lines-worker.ts';

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

export class PennylaneWorker extends JsonLinesWorker {
  private constructor(python: string) {
    super('PennyLane', python, [WORKER], workerEnvironment());
  }

  static start(python: string): PennylaneWorker {
    if (!existsSync(python)) throw new Error(`PennyLane virtualenv python not found at ${python} (run: make bench-venv)`);
    return new PennylaneWorker(python);
  }

  versions(): Promise<PennylaneVersions> {
    return this.request({ op: 'versions' });
  }
}

export interface PennylaneCircuit {
  device: PennylaneDevice;
  qubits: number;
  gates: readonly Gate[];
  shots: number;
  seed: number;
}

export function pennylaneLossAndGradient(
  worker: PennylaneWorker,
  circuit: PennylaneCircuit,
  theta: readonly number[],
): Promise<LossAndGradient> {
  return worker.request({ op: 'loss_and_gradient', ...circuit, theta });
}

/** PennyLane's GradientDescentOptimizer.step_and_cost on a parameter-shift QNode. */
export function pennylaneStepTimer(worker: PennylaneWorker, circuit: PennylaneCircuit, theta: readonly number[], lr: number): StepTimer {
  return {
    timeSteps: (minSeconds, maxSteps) =>
      worker.request<TimedSample>({ op: 'time_steps', ...circuit, theta, lr, min_seconds: minSeconds, max_steps: maxSteps }),
  };
}
