// Node side of the exact-gradient peers (issue 14): PennyLane default.qubit under JAX jit and
// with autograd backprop, lightning.qubit adjoint, Qiskit's statevector estimator with its
// reverse-mode gradient — one long-lived Python worker (exact_worker.py) per thread setting.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Gate } from '../circuit.ts';
import type { StepTimer, TimedSample } from '../timing.ts';
import type { LossAndGradient } from './jsqubits.ts';
import { JsonLinesWorker } from './json-lines-worker.ts';

const WORKER = fileURLToPath(new URL('./exact_worker.py', import.meta.url));

export type ExactMethod = 'jax' | 'backprop' | 'lightning' | 'qiskit';

export const EXACT_METHODS: readonly ExactMethod[] = ['jax', 'lightning', 'backprop', 'qiskit'];

/** Contender names as the report prints them. */
export const EXACT_PEER_NAMES: Record<ExactMethod, string> = {
  jax: 'PennyLane default.qubit + JAX jit',
  lightning: 'PennyLane lightning.qubit adjoint',
  backprop: 'PennyLane default.qubit backprop (autograd)',
  qiskit: 'Qiskit StatevectorEstimator + ReverseEstimatorGradient',
};

/** The Python distribution each method needs (absent: the method is reported as not measured). */
export const METHOD_PACKAGE: Record<ExactMethod, string> = {
  jax: 'jax',
  lightning: 'pennylane_lightning',
  backprop: 'pennylane',
  qiskit: 'qiskit-algorithms',
};

/**
 * Thread environment, set before the worker starts (XLA reads its flags at import).
 * threads = 1: one thread in XLA (no Eigen pool, one intra-op thread), OpenMP (lightning)
 * and BLAS. threads > 1: that many OpenMP/BLAS threads and XLA's default thread pool.
 */
export function exactWorkerEnvironment(threads: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OMP_NUM_THREADS: String(threads),
    OPENBLAS_NUM_THREADS: String(threads),
    PYTHONUNBUFFERED: '1',
    JAX_PLATFORMS: 'cpu',
  };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  if (threads === 1) env.XLA_FLAGS = '--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1';
  else delete env.XLA_FLAGS;
  return env;
}

export class ExactPeersWorker extends JsonLinesWorker {
  private constructor(python: string, threads: number) {
    super(`exact peers (${threads} thread${threads === 1 ? '' : 's'})`, python, [WORKER], exactWorkerEnvironment(threads));
  }

  static start(python: string, threads: number): ExactPeersWorker {
    if (!existsSync(python)) throw new Error(`bench virtualenv python not found at ${python} (run: make bench-venv-exact)`);
    return new ExactPeersWorker(python, threads);
  }

  versions(): Promise<Record<string, string | null>> {
    return this.request({ op: 'versions' });
  }
}

export interface ExactCircuit {
  method: ExactMethod;
  qubits: number;
  gates: readonly Gate[];
}

export function exactLossAndGradient(
  worker: ExactPeersWorker,
  circuit: ExactCircuit,
  theta: readonly number[],
): Promise<LossAndGradient & { compile_seconds?: number | null }> {
  return worker.request({ op: 'loss_and_gradient', ...circuit, theta });
}

/** The method's training step (gradient + SGD update) from θ, which the worker keeps between samples. */
export function exactStepTimer(worker: ExactPeersWorker, circuit: ExactCircuit, theta: readonly number[], lr: number): StepTimer {
  return {
    timeSteps: (minSeconds, maxSteps) =>
      worker.request<TimedSample>({ op: 'time_steps', ...circuit, theta, lr, min_seconds: minSeconds, max_steps: maxSteps }),
  };
}
