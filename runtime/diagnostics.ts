// Diagnostic exports (docs/abi.md): drive the statevector gate by gate so hosts and tests
// can check the simulator itself. They overwrite the state a training step would use, so
// sv_reset abandons a step running in slices.
import { MAX_QUBITS, MAX_STATES } from './config';
import { STATE } from './memory';
import { cancelStep } from './step-slices';
import { applyCNOT, applyCZ, applyH, applyRX, applyRY, applyRZ, probabilityOf, selectState, stateReset } from './statevector';

const GATE_RX = 0;
const GATE_RY = 1;
const GATE_RZ = 2;
const GATE_H = 3;
const GATE_CZ = 4;
const GATE_CNOT = 5;

let diagnosticQubits: i32 = 0;

// Every refusal shares one short message (the host adds file:line:column, which tells them
// apart): each abort text is a UTF-16 string in the device module's data, and six of them
// cost 400 bytes of its 16 KiB budget. docs/abi.md lists what each export refuses.
const REFUSED = 'sv_*: argument out of range';

export function diagnosticReset(qubits: i32): void {
  if (qubits < 1 || qubits > MAX_QUBITS) abort(REFUSED);
  diagnosticQubits = qubits;
  cancelStep();
  selectState(STATE);
  stateReset(qubits);
}

export function diagnosticApply(gate: i32, q0: i32, q1: i32, angle: f64): void {
  if (diagnosticQubits == 0) abort(REFUSED);
  if (q0 < 0 || q0 >= diagnosticQubits) abort(REFUSED);
  const twoQubit = gate == GATE_CZ || gate == GATE_CNOT;
  if (twoQubit && (q1 < 0 || q1 >= diagnosticQubits || q1 == q0)) abort(REFUSED);
  if (gate == GATE_RX) applyRX(q0, angle);
  else if (gate == GATE_RY) applyRY(q0, angle);
  else if (gate == GATE_RZ) applyRZ(q0, angle);
  else if (gate == GATE_H) applyH(q0);
  else if (gate == GATE_CZ) applyCZ(q0, q1);
  else if (gate == GATE_CNOT) applyCNOT(q0, q1);
  else abort(REFUSED);
}

export function diagnosticProbability(index: i32): f64 {
  if (diagnosticQubits == 0 || index < 0 || index >= 1 << diagnosticQubits || index >= MAX_STATES) {
    abort(REFUSED);
  }
  return probabilityOf(index);
}
