// The run configs of the suite, kept small so that a step takes ~1 ms on the posix board and
// ~0.1 s on rv32 (QEMU TCG, soft-float: rv32imac has no FPU). Measured per step, posix / rv32:
//   EXACT    1.1 ms / 0.10 s      SAMPLED  0.3–2 ms / 0.03–0.06 s      HEAVY  ~5 ms / ~2 s
// The tests that need a run to still be going some time after it started pick EXACT or HEAVY
// by the step time the board itself reports (disconnect.test.ts).
import { parseConfig } from '../host/src/config/load.ts';
import type { RunConfig } from '../host/src/config/schema.ts';

const nlr = { name: 'nlr', lr: 0.4, nlr: { mode: 'gated', ratio: 0.5 } };
const dataset = { name: 'synthetic', samples: 12, features: 3, separation: 3, test_fraction: 0.25 };

/** Classification on a dataset (3 qubits, 12 parameters, mini-batches of 3), exact expectations. */
export const EXACT: RunConfig = parseConfig(
  { qubits: 3, layers: 2, ansatz: 'hea', cost: 'class-sq', dataset, optimizer: nlr, batch: 3, steps: 64, seed: 11 },
  'hil EXACT',
);

/** The same circuit with 16 shots per circuit evaluation (the shot PRNG stream is compared too). */
export const SAMPLED: RunConfig = parseConfig(
  {
    qubits: 3,
    layers: 2,
    ansatz: 'hea',
    cost: 'class-sq',
    dataset,
    optimizer: nlr,
    batch: 3,
    shots: { per_eval: 16, budget: 10_000_000 },
    steps: 6,
    seed: 12,
  },
  'hil SAMPLED',
);

/** A 7-qubit, 3-layer local-cost circuit for fast boards: ~5 ms a step on the posix board, so a
 *  64-step run leaves a loaded host ~0.3 s to close its port mid-run. */
export const HEAVY: RunConfig = parseConfig(
  { qubits: 7, layers: 3, ansatz: 'hea', cost: 'local', optimizer: nlr, steps: 64, seed: 13 },
  'hil HEAVY',
);

/** A copy with other fields (steps, seed, shots …). */
export function withChanges(cfg: RunConfig, changes: Partial<RunConfig>): RunConfig {
  return parseConfig({ ...structuredClone(cfg), ...changes }, 'hil config');
}
