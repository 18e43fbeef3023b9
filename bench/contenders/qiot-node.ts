// qiot's module in Node, through the host binding (host/src/wasm) that `qiot sim` uses.
import { readFileSync } from 'node:fs';
import { QiotModule } from '../../host/src/wasm/module.ts';
import { STATUS, statusName } from '../../host/src/wasm/abi.ts';
import type { CircuitSpec } from '../circuit.ts';
import { benchConfigBytes, type RunShape } from '../qiot-config.ts';
import { GATE_SEED } from '../config.ts';
import { inProcessTimer, type StepTimer } from '../timing.ts';
import type { LossAndGradient } from './jsqubits.ts';

export interface QiotNode {
  readonly bytes: Uint8Array;
  /** Exact loss and gradient (parameter shift unless said) at θ, for the correctness gates. */
  lossAndGradient(spec: CircuitSpec, theta: readonly number[], gradient?: RunShape['gradient']): LossAndGradient;
  /** SGD (or SPSA) training steps from seeded θ. */
  stepTimer(run: Partial<RunShape> & CircuitSpec & { shots: number }): StepTimer;
  /** The telemetry record after `steps` steps (for byte-identical comparisons). */
  telemetryAfter(run: RunShape, steps: number): Uint8Array;
}

export function fullRun(run: Partial<RunShape> & CircuitSpec & { shots: number }): RunShape {
  return { gradient: 'parameter-shift', paramInit: 0, seed: GATE_SEED, ...run };
}

function started(bytes: Uint8Array, run: RunShape): QiotModule {
  const module = QiotModule.fromBytes(bytes);
  module.writeConfigBytes(benchConfigBytes(run));
  const code = module.init();
  if (code !== 0) throw new Error(`qiot init refused the bench config (${run.qubits} qubits): ${module.errorMessage(code)}`);
  return module;
}

function checkedStep(module: QiotModule): Uint8Array {
  const { status, raw } = module.step();
  if (status !== STATUS.OK) throw new Error(`qiot step returned ${statusName(status)}`);
  return raw;
}

export function loadQiotNode(path: string): QiotNode {
  const bytes = new Uint8Array(readFileSync(path));
  return {
    bytes,
    lossAndGradient(spec, theta, kind = 'parameter-shift') {
      const module = started(bytes, fullRun({ ...spec, shots: 0, paramInit: 1, gradient: kind }));
      module.setParams(theta);
      const loss = module.evaluate('train');
      const { status, gradient } = module.gradient();
      if (status !== STATUS.OK) throw new Error(`qiot gradient returned ${statusName(status)}`);
      return { loss, gradient: [...gradient] };
    },
    stepTimer(run) {
      const module = started(bytes, fullRun(run));
      return inProcessTimer(() => checkedStep(module));
    },
    telemetryAfter(run, steps) {
      const module = started(bytes, run);
      let raw: Uint8Array = new Uint8Array();
      for (let s = 0; s < steps; s++) raw = checkedStep(module);
      return raw;
    },
  };
}
