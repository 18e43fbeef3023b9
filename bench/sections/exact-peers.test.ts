import { describe, expect, it } from 'vitest';
import { EXACT_STEP_CAP_SECONDS } from '../config.ts';
import { exactWorkerEnvironment } from '../contenders/exact-peers.ts';
import { overCap } from './exact-peers.ts';

describe('exact peers: which sizes a peer is timed at', () => {
  it('times every peer at the first size', () => {
    expect(overCap(undefined, 20)).toBeNull();
  });
  it('projects ×2 per added qubit from the last measured size', () => {
    const last = { lastSeconds: EXACT_STEP_CAP_SECONDS / 4, lastQubits: 14 };
    expect(overCap(last, 16)).toBeNull(); // exactly the cap
    const why = overCap(last, 17);
    expect(why?.measured).toBe(false);
    expect(why?.reason).toMatch(/projected 12\.0 s per step .* at 14 qubits/);
  });
});

describe('exact peers: thread environment of the Python worker', () => {
  it('pins XLA, OpenMP and BLAS to one thread for the single-thread comparison', () => {
    const env = exactWorkerEnvironment(1);
    expect(env.OMP_NUM_THREADS).toBe('1');
    expect(env.OPENBLAS_NUM_THREADS).toBe('1');
    expect(env.XLA_FLAGS).toBe('--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1');
    expect(env.JAX_PLATFORMS).toBe('cpu');
  });
  it('gives the multi-thread worker the thread count and XLA its default pool', () => {
    const env = exactWorkerEnvironment(4);
    expect(env.OMP_NUM_THREADS).toBe('4');
    expect(env.XLA_FLAGS).toBeUndefined();
  });
});
