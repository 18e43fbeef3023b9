// The circuits and costs of docs/abi.md rebuilt on the f64 reference simulator.
import { ReferenceState, gates } from './reference-sim.ts';

export type AnsatzKind = 'hea' | 'mcclean' | 'rxry-cnot' | 'hea-zy';
export type CostKind = 'local' | 'global' | 'class-sq' | 'class-xent';

export interface ModelSpec {
  qubits: number;
  layers: number;
  ansatz: AnsatzKind;
  cost: CostKind;
  /** McClean: per parameter 0 = RX, 1 = RY, 2 = RZ. */
  gateKinds?: number[];
  /** Classification readout: ⟨Z₀⟩ (default) or the mean of ⟨Zᵢ⟩ over all qubits. */
  readout?: 'z0' | 'mean-z';
  /** Apply the feature encoding again before every layer after the first. */
  reupload?: boolean;
}

export interface Sample {
  features: number[];
  label: number;
}

export function parameterCount(spec: ModelSpec): number {
  return (spec.ansatz === 'mcclean' ? 1 : 2) * spec.layers * spec.qubits;
}

export function prepareState(spec: ModelSpec, theta: ArrayLike<number>, features: number[] = []): ReferenceState {
  const n = spec.qubits;
  const state = new ReferenceState(n);
  features.forEach((x, q) => state.apply(q, gates.ry(x)));
  let j = 0;
  const ladder = () => {
    for (let q = 0; q + 1 < n; q++) state.cz(q, q + 1);
  };
  if (spec.ansatz === 'mcclean') {
    for (let q = 0; q < n; q++) state.apply(q, gates.ry(Math.PI / 4));
  }
  for (let layer = 0; layer < spec.layers; layer++) {
    if (layer > 0 && spec.reupload) features.forEach((x, q) => state.apply(q, gates.ry(x)));
    for (let q = 0; q < n; q++) {
      if (spec.ansatz === 'hea-zy') {
        state.apply(q, gates.rz(theta[j++]));
        state.apply(q, gates.ry(theta[j++]));
      } else if (spec.ansatz === 'hea') {
        state.apply(q, gates.ry(theta[j++]));
        state.apply(q, gates.rz(theta[j++]));
      } else if (spec.ansatz === 'rxry-cnot') {
        state.apply(q, gates.rx(theta[j++]));
        state.apply(q, gates.ry(theta[j++]));
      } else {
        const kind = spec.gateKinds![j];
        state.apply(q, [gates.rx, gates.ry, gates.rz][kind](theta[j++]));
      }
    }
    if (spec.ansatz === 'rxry-cnot') {
      for (let q = 0; q + 1 < n; q++) state.cnot(q, q + 1);
    } else {
      ladder();
    }
  }
  return state;
}

/** Loss of one circuit per docs/abi.md, written in terms of ⟨Z₀⟩. */
export function circuitLoss(spec: ModelSpec, state: ReferenceState, label = 0): number {
  const classification = spec.cost === 'class-sq' || spec.cost === 'class-xent';
  let z = state.expectationZ(0);
  if (classification && spec.readout === 'mean-z') {
    z = 0;
    for (let q = 0; q < spec.qubits; q++) z += state.expectationZ(q) / spec.qubits;
  }
  switch (spec.cost) {
    case 'local':
      return (1 - z) / 2;
    case 'global':
      return 1 - state.probability(0);
    case 'class-sq':
      return (z - label) ** 2;
    case 'class-xent': {
      const p = Math.min(Math.max((1 + z) / 2, 1e-7), 1 - 1e-7);
      return label === 1 ? -Math.log(p) : -Math.log(1 - p);
    }
  }
}

/** Mean loss over samples (local/global: the bare circuit, samples ignored). */
export function meanLoss(spec: ModelSpec, theta: ArrayLike<number>, samples: Sample[] = []): number {
  if (spec.cost === 'local' || spec.cost === 'global') return circuitLoss(spec, prepareState(spec, theta));
  const total = samples.reduce((sum, s) => sum + circuitLoss(spec, prepareState(spec, theta, s.features), s.label), 0);
  return total / samples.length;
}

/** Central finite difference (f(θ + h eⱼ) − f(θ − h eⱼ)) / 2h for every j. */
export function finiteDifferenceGradient(f: (theta: number[]) => number, theta: ArrayLike<number>, h = 1e-5): number[] {
  const base = Array.from(theta);
  return base.map((_, j) => {
    const plus = base.slice();
    const minus = base.slice();
    plus[j] += h;
    minus[j] -= h;
    return (f(plus) - f(minus)) / (2 * h);
  });
}
