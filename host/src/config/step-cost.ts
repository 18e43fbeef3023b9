// The estimated cost of one training step, and the bound `qiot train` holds a board
// to (issue 15 "never deaf": a board stays responsive during any step, but a step of
// minutes makes a run of hours). The estimate counts evaluation units as the module
// does (docs/abi.md "Stepping in slices") times the gates of one circuit times the
// statevector's 2^qubits amplitudes.
import { effectiveGradient, type RunConfig } from './schema.ts';
import { parameterCount } from './cross-rules.ts';
import { ConfigError } from './errors.ts';

/** Amplitude updates per step beyond which `qiot train` refuses a config unless --allow-slow.
 *  Measured with wasm3 on the posix board (loaded shared machine): 10.5 ms per 10-qubit,
 *  12-layer circuit ≈ 28 ns per amplitude update, so 2^31 is about a minute per step there,
 *  and an MCU (rv32, ESP32-C3) is slower still. Issue 15's 10 qubits × 12 layers, parameter
 *  shift, 8 training samples (1.9·10⁹) passes; with 200 samples (4.7·10¹⁰) it does not. */
export const MAX_STEP_AMPLITUDE_UPDATES = 2 ** 31;

/** Evaluation units of one gradient per batch sample (docs/abi.md): a shifted pair per
 *  parameter, SPSA's two perturbed circuits, or one adjoint sample (4 units). */
const GRADIENT_UNITS = {
  'parameter-shift': (params: number) => 2 * params,
  spsa: () => 2,
  adjoint: () => 4,
} as const;

export interface StepCost {
  units: number;
  gates: number;
  amplitudeUpdates: number;
}

/** nTrain: training samples of the config's dataset (1 for a cost without a dataset). */
export function estimateStepCost(cfg: RunConfig, nTrain: number): StepCost {
  const params = parameterCount(cfg);
  const batch = cfg.batch > 0 ? Math.min(cfg.batch, nTrain) : nTrain;
  const gated = cfg.optimizer.name === 'nlr' && cfg.optimizer.nlr.mode === 'gated' ? 1 : 0;
  const units = batch * (1 + GRADIENT_UNITS[effectiveGradient(cfg)](params) + gated);
  // One rotation per parameter plus, per layer, about one entangler and one encoding gate per qubit.
  const gates = params + 2 * cfg.layers * cfg.qubits;
  return { units, gates, amplitudeUpdates: units * gates * 2 ** cfg.qubits };
}

/** Throws a ConfigError naming the estimate when a step would cost more than the bound. */
export function checkStepCost(cfg: RunConfig, nTrain: number, source: string, allowSlow: boolean): void {
  const cost = estimateStepCost(cfg, nTrain);
  if (allowSlow || cost.amplitudeUpdates <= MAX_STEP_AMPLITUDE_UPDATES) return;
  const n = (x: number) => x.toExponential(2);
  throw new ConfigError(source, [
    {
      field: '',
      message:
        `one step is estimated at ${n(cost.amplitudeUpdates)} amplitude updates (${cost.units} circuit evaluations × ` +
        `${cost.gates} gates × 2^${cfg.qubits} amplitudes), over the bound ${n(MAX_STEP_AMPLITUDE_UPDATES)} ` +
        `(about a minute per step on the posix board); lower qubits, layers or batch, use the adjoint gradient, ` +
        `or pass --allow-slow`,
    },
  ]);
}
