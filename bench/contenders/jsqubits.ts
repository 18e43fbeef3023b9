// The JavaScript peer: jsqubits (npm) evaluates the circuit; the loss and the
// parameter-shift gradient are built from its circuit evaluations exactly as
// qiot builds them (docs/abi.md, Gradients). jsqubits applies every gate as a
// new immutable sparse state, which is what a user of the library gets.
import { createRequire } from 'node:module';
import Qubits from 'jsqubits';
import { seededRandom, type SeededRandom } from '../../host/src/stats/random.ts';
import { hardwareEfficientGates, localCost, type CircuitSpec, type Gate } from '../circuit.ts';

export const JSQUBITS_PEER = 'jsqubits';
export const JSQUBITS_VERSION: string = createRequire(import.meta.url)('jsqubits/package.json').version;

export function probabilityQubit0Zero(qubits: number, gates: readonly Gate[], theta: readonly number[]): number {
  let state = Qubits('0'.repeat(qubits));
  for (const gate of gates) {
    if (gate.kind === 'RY') state = state.rotateY(gate.wire, theta[gate.param]);
    else if (gate.kind === 'RZ') state = state.rotateZ(gate.wire, theta[gate.param]);
    else if (gate.kind === 'CZ') state = state.controlledZ(gate.wires[0], gate.wires[1]);
  }
  let p = 0;
  state.each((component) => {
    if ((component.asNumber() & 1) === 0) {
      p += component.amplitude.real ** 2 + component.amplitude.imaginary ** 2;
    }
  });
  return p;
}

/** Fraction of `shots` Bernoulli(p) draws that come out 1 — one sampled evaluation. */
export function sampleFraction(p: number, shots: number, rng: SeededRandom): number {
  let hits = 0;
  for (let s = 0; s < shots; s++) if (rng.float() < p) hits++;
  return hits / shots;
}

export interface LossAndGradient {
  loss: number;
  gradient: number[];
}

export class JsqubitsTrainer {
  private readonly gates: Gate[];
  private readonly rng: SeededRandom;

  constructor(
    private readonly spec: CircuitSpec,
    private readonly shots: number,
    seed: number,
  ) {
    this.gates = hardwareEfficientGates(spec);
    this.rng = seededRandom(seed);
  }

  private evaluate(theta: readonly number[]): number {
    const p = probabilityQubit0Zero(this.spec.qubits, this.gates, theta);
    return localCost(this.shots === 0 ? p : sampleFraction(p, this.shots, this.rng));
  }

  /** 1 + 2P circuit evaluations: the loss, then (C(θⱼ + π/2) − C(θⱼ − π/2)) / 2 for each j. */
  lossAndGradient(theta: readonly number[]): LossAndGradient {
    const loss = this.evaluate(theta);
    const shifted = [...theta];
    const gradient = theta.map((value, j) => {
      shifted[j] = value + Math.PI / 2;
      const plus = this.evaluate(shifted);
      shifted[j] = value - Math.PI / 2;
      const minus = this.evaluate(shifted);
      shifted[j] = value;
      return (plus - minus) / 2;
    });
    return { loss, gradient };
  }

  /** One SGD training step in place; returns the loss at θ before the update. */
  step(theta: number[], lr: number): number {
    const { loss, gradient } = this.lossAndGradient(theta);
    for (let j = 0; j < theta.length; j++) theta[j] -= lr * gradient[j];
    return loss;
  }
}
