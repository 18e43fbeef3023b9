// Client of bench/contenders/jsqubits-worker.ts: jsqubits timed in its own Node process.
import { fileURLToPath } from 'node:url';
import type { CircuitSpec } from '../circuit.ts';
import type { StepTimer, TimedSample } from '../timing.ts';
import type { LossAndGradient } from './jsqubits.ts';
import { JsonLinesWorker } from './json-lines-worker.ts';

const WORKER = fileURLToPath(new URL('./jsqubits-worker.ts', import.meta.url));

export class JsqubitsProcess extends JsonLinesWorker {
  constructor() {
    // tsx's loader, resolved from the project like every other script here.
    super('jsqubits', process.execPath, ['--import', 'tsx', WORKER]);
  }

  lossAndGradient(spec: CircuitSpec, theta: readonly number[], seed: number): Promise<LossAndGradient> {
    return this.request({ op: 'loss_and_gradient', ...spec, shots: 0, seed, theta });
  }

  stepTimer(spec: CircuitSpec, shots: number, seed: number, theta: readonly number[], lr: number): StepTimer {
    return {
      timeSteps: (minSeconds, maxSteps) =>
        this.request<TimedSample>({ op: 'time_steps', ...spec, shots, seed, theta, lr, min_seconds: minSeconds, max_steps: maxSteps }),
    };
  }
}
