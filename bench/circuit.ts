// The benchmark circuit, described once and handed to every contender, so that
// qiot, PennyLane and the JavaScript peer evaluate exactly the same gates with
// the same parameter order (docs/abi.md, ansatz `hea`).

export type Gate = { kind: 'RY' | 'RZ'; wire: number; param: number } | { kind: 'CZ'; wires: [number, number] };

export interface CircuitSpec {
  qubits: number;
  layers: number;
}

/** P = 2·L·n (docs/abi.md). */
export function hardwareEfficientParamCount({ qubits, layers }: CircuitSpec): number {
  return 2 * layers * qubits;
}

/**
 * Per layer: RY(θ) then RZ(θ) on each qubit in turn, then CZ(0,1) … CZ(n−2,n−1).
 * Parameters are numbered in the order the gates are applied.
 */
export function hardwareEfficientGates({ qubits, layers }: CircuitSpec): Gate[] {
  if (!Number.isInteger(qubits) || qubits < 1) throw new RangeError(`qubits must be a positive integer, got ${qubits}`);
  if (!Number.isInteger(layers) || layers < 1) throw new RangeError(`layers must be a positive integer, got ${layers}`);
  const gates: Gate[] = [];
  let param = 0;
  for (let layer = 0; layer < layers; layer++) {
    for (let wire = 0; wire < qubits; wire++) {
      gates.push({ kind: 'RY', wire, param: param++ });
      gates.push({ kind: 'RZ', wire, param: param++ });
    }
    for (let wire = 0; wire + 1 < qubits; wire++) gates.push({ kind: 'CZ', wires: [wire, wire + 1] });
  }
  return gates;
}

/**
 * Deterministic, well-spread angles in [0, 2π) for the correctness gates: the
 * fractional parts of k·φ (golden ratio) never repeat and avoid special angles.
 */
export function gateAngles(count: number, offset: number): number[] {
  const golden = (1 + Math.sqrt(5)) / 2;
  return Array.from({ length: count }, (_, k) => 2 * Math.PI * (((k + offset) * golden) % 1));
}

/** C = 1 − p(qubit 0 = 0) (docs/abi.md, cost `local`). */
export function localCost(probabilityQubit0Zero: number): number {
  return 1 - probabilityQubit0Zero;
}
