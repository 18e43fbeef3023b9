// Issue 14: gradient kinds, number formats and the shot sampler side by side in Node, in one
// interleaved run per size: exact parameter shift, 1000-shot parameter shift and the adjoint
// gradient of the device build (Q1.30), and the adjoint of the host build (f32 + SIMD).
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { QiotModule } from '../../host/src/wasm/module.ts';
import { STATUS, statusName } from '../../host/src/wasm/abi.ts';
import { moduleBuildPath } from '../../host/src/wasm/builds.ts';
import { GATE_SEED, GOALS, PEER_LAYERS, type TimingPlan } from '../config.ts';
import { benchConfigBytes, type RunShape } from '../qiot-config.ts';
import { notMeasured, type Quantity, type QuantitySection } from '../results-schema.ts';
import { pairedRatio } from '../stats.ts';
import { inProcessTimer, interleave, type StepTimer } from '../timing.ts';

export interface GradientsInput {
  plan: TimingPlan;
  qubits: readonly number[];
  modulePath: string;
  log: (line: string) => void;
}

const SHIFT = 'shift, exact';
const SHOTS = 'shift, 1000 shots';
const ADJOINT = 'adjoint, device (Q1.30)';
const ADJOINT_HOST = 'adjoint, host build (f32 SIMD)';

function timer(bytes: Uint8Array, run: RunShape): StepTimer {
  const module = QiotModule.fromBytes(bytes);
  module.writeConfigBytes(benchConfigBytes(run));
  const code = module.init();
  if (code !== 0) throw new Error(`init refused ${run.qubits} qubits: ${module.errorMessage(code)}`);
  return inProcessTimer(() => {
    const { status } = module.step();
    if (status !== STATUS.OK) throw new Error(`step returned ${statusName(status)}`);
  });
}

const ratioItem = (numerator: number[], denominator: number[], source: string, goal?: { text: string; limit: number }): Quantity => {
  const r = pairedRatio(numerator, denominator);
  return {
    measured: true,
    value: r.median,
    unit: '×',
    source: `${source}; paired median, 95 % CI [${r.low.toFixed(2)}, ${r.high.toFixed(2)}]`,
    ...(goal ? { goal: goal.text, met: r.median <= goal.limit } : {}),
  };
};

export async function measureGradients(input: GradientsInput): Promise<z.infer<typeof QuantitySection>> {
  let device: Uint8Array;
  let host: Uint8Array;
  try {
    device = new Uint8Array(readFileSync(input.modulePath));
    host = new Uint8Array(readFileSync(moduleBuildPath('host')));
  } catch (e) {
    return notMeasured(`module builds missing (make runtime): ${(e as Error).message}`);
  }
  const items: Record<string, Quantity> = {};
  for (const qubits of input.qubits) {
    input.log(`  gradients at ${qubits} qubits`);
    const base = { qubits, layers: PEER_LAYERS, paramInit: 0 as const, seed: GATE_SEED };
    const samples = await interleave(
      {
        [SHIFT]: timer(device, { ...base, shots: 0, gradient: 'parameter-shift' }),
        [SHOTS]: timer(device, { ...base, shots: 1000, gradient: 'parameter-shift' }),
        [ADJOINT]: timer(device, { ...base, shots: 0, gradient: 'adjoint' }),
        [ADJOINT_HOST]: timer(host, { ...base, shots: 0, gradient: 'adjoint' }),
      },
      input.plan,
    );
    const at = `${qubits} qubits × ${PEER_LAYERS} layers, hea, local cost, SGD step, Node`;
    items[`1000-shot / exact parameter-shift step, ${qubits} qubits`] = ratioItem(
      samples[SHOTS],
      samples[SHIFT],
      at,
      qubits === GOALS.shotsRatioQubits ? { text: `≤ ${GOALS.shotsOverExact}×`, limit: GOALS.shotsOverExact } : undefined,
    );
    items[`parameter shift / adjoint step (exact), ${qubits} qubits`] = ratioItem(samples[SHIFT], samples[ADJOINT], at);
    items[`host build (f32 SIMD) / device build (Q1.30), adjoint step, ${qubits} qubits`] = ratioItem(
      samples[ADJOINT_HOST],
      samples[ADJOINT],
      at,
    );
  }
  return {
    measured: true,
    items,
    notes: [
      'All four contenders run in the same interleaved rounds; a ratio below 1 means the first is faster.',
      'Exact steps default to the adjoint gradient in `qiot sim` (docs/config.md); the shift steps are what the peers table compares.',
    ],
  };
}
