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

export function diagnosticReset(qubits: i32): void {
  if (qubits < 1 || qubits > MAX_QUBITS) abort('sv_reset: qubits must be 1..10');
  diagnosticQubits = qubits;
  cancelStep();
  selectState(STATE);
  stateReset(qubits);
}

export function diagnosticApply(gate: i32, q0: i32, q1: i32, angle: f64): void {
  if (diagnosticQubits == 0) abort('sv_apply: call sv_reset first');
  if (q0 < 0 || q0 >= diagnosticQubits) abort('sv_apply: q0 out of range');
  const twoQubit = gate == GATE_CZ || gate == GATE_CNOT;
  if (twoQubit && (q1 < 0 || q1 >= diagnosticQubits || q1 == q0)) abort('sv_apply: q1 out of range');
  if (gate == GATE_RX) applyRX(q0, angle);
  else if (gate == GATE_RY) applyRY(q0, angle);
  else if (gate == GATE_RZ) applyRZ(q0, angle);
  else if (gate == GATE_H) applyH(q0);
  else if (gate == GATE_CZ) applyCZ(q0, q1);
  else if (gate == GATE_CNOT) applyCNOT(q0, q1);
  else abort('sv_apply: unknown gate code');
}

export function diagnosticProbability(index: i32): f64 {
  if (diagnosticQubits == 0 || index < 0 || index >= 1 << diagnosticQubits || index >= MAX_STATES) {
    abort('sv_prob: index out of range');
  }
  return probabilityOf(index);
}
