// Config structs of the benchmark runs, encoded by the host's ABI codec.
import { encodeAbiConfig, DEFAULT_ABI_CONFIG } from '../host/src/wasm/config-codec.ts';
import { OPTIMIZER, GRADIENT, ANSATZ, COST } from '../host/src/wasm/abi.ts';
import type { CircuitSpec } from './circuit.ts';
import { STEP_LR } from './config.ts';

/** A budget no benchmark can exhaust (u64); sampled mode requires one > 0. */
const UNLIMITED_SHOTS = 1n << 62n;

export interface RunShape extends CircuitSpec {
  shots: number;
  gradient: 'parameter-shift' | 'spsa' | 'adjoint';
  /** 1: the host writes θ after init (correctness gates); 0: seeded θ (timing). */
  paramInit: 0 | 1;
  seed: number;
}

export function benchConfigBytes(run: RunShape): Uint8Array {
  return encodeAbiConfig({
    ...DEFAULT_ABI_CONFIG,
    qubits: run.qubits,
    layers: run.layers,
    ansatz: ANSATZ.hea,
    cost: COST.local,
    optimizer: run.gradient === 'spsa' ? OPTIMIZER.spsa : OPTIMIZER.sgd,
    gradient: GRADIENT[run.gradient],
    lr: STEP_LR,
    shotsPerEval: run.shots,
    shotBudget: run.shots > 0 ? UNLIMITED_SHOTS : 0,
    seed: run.seed,
    paramInit: run.paramInit,
  });
}
