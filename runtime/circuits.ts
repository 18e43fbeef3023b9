// Angle encoding and the three ansätze of docs/abi.md, applied from |0…0⟩.
import * as A from './abi.generated';
import { DATASET, GATE_KIND, f64At } from './memory';
import { nextBelow } from './prng';
import * as S from './settings';
import { applyCNOT, applyCZLadder, applyRX, applyRY, applyRZ, stateReset } from './statevector';

export const GATE_RX: u8 = 0;
export const GATE_RY: u8 = 1;
export const GATE_RZ: u8 = 2;

export function featureOf(sample: i32, feature: i32): f64 {
  return <f64>load<f32>(DATASET + ((<usize>(sample * S.nFeatures + feature)) << 2));
}

export function labelOf(sample: i32): f64 {
  const samples = S.nTrain + S.nTest;
  return <f64>load<f32>(DATASET + ((<usize>(samples * S.nFeatures + sample)) << 2));
}

// McClean gate kinds: one uniform draw from {RX, RY, RZ} per parameter, in parameter order.
export function drawGateKinds(count: i32): void {
  for (let j = 0; j < count; j++) store<u8>(GATE_KIND + <usize>j, <u8>nextBelow(3));
}

export function applyRotation(kind: u8, q: i32, theta: f64): void {
  if (kind == GATE_RX) applyRX(q, theta);
  else if (kind == GATE_RY) applyRY(q, theta);
  else applyRZ(q, theta);
}

// The sample the selected state encodes (−1: none), for re-uploading before later layers.
let encodedSample: i32 = -1;

// The angle encoding RY(xᵢ) on qubit i (sign −1: its inverse, for the adjoint sweep).
export function encode(sample: i32, sign: f64 = 1): void {
  if (sample >= 0) {
    for (let i = 0; i < S.nFeatures; i++) applyRY(i, sign * featureOf(sample, i));
  }
}

// Resets the selected state and applies everything before parameter 0:
// the angle encoding of the sample (sample < 0: none) and McClean's RY(π/4) layer.
export function prepareInput(sample: i32): void {
  stateReset(S.qubits);
  encodedSample = sample;
  encode(sample);
  if (S.ansatz == A.ANSATZ_MCCLEAN) {
    for (let q = 0; q < S.qubits; q++) applyRY(q, Math.PI / 4);
  }
}

function perLayer(): i32 {
  return S.ansatz == A.ANSATZ_MCCLEAN ? S.qubits : 2 * S.qubits;
}

// Parameter order = gate order (docs/abi.md): hea RY, RZ per qubit; hea-zy RZ, RY per qubit;
// rxry-cnot RX, RY per qubit; mcclean one drawn gate per qubit.
export function gateKindOf(j: i32): u8 {
  if (S.ansatz == A.ANSATZ_MCCLEAN) return load<u8>(GATE_KIND + <usize>j);
  const first = ((j % perLayer()) & 1) == 0;
  if (S.ansatz == A.ANSATZ_HEA) return first ? GATE_RY : GATE_RZ;
  if (S.ansatz == A.ANSATZ_HEA_ZY) return first ? GATE_RZ : GATE_RY;
  return first ? GATE_RX : GATE_RY;
}

export function gateQubitOf(j: i32): i32 {
  const inLayer = j % perLayer();
  return S.ansatz == A.ANSATZ_MCCLEAN ? inLayer : inLayer >> 1;
}

// With re-uploading, the encoding is applied again right before parameter j's gate.
export function reuploadsBefore(j: i32): bool {
  return S.reupload && j > 0 && j % perLayer() == 0;
}

// Parameter j is its layer's last: the layer's entangler follows its gate.
export function endsLayer(j: i32): bool {
  return j % perLayer() == perLayer() - 1;
}

function applyEntangler(): void {
  if (S.ansatz == A.ANSATZ_RXRY_CNOT) {
    for (let q = 0; q + 1 < S.qubits; q++) applyCNOT(q, q + 1);
  } else {
    applyCZLadder();
  }
}

// The inverse of a layer's entangler: the CZ ladder is its own inverse, the CNOT ladder
// runs backwards.
export function undoEntangler(): void {
  if (S.ansatz == A.ANSATZ_RXRY_CNOT) {
    for (let q = S.qubits - 2; q >= 0; q--) applyCNOT(q, q + 1);
  } else {
    applyCZLadder();
  }
}

// Applies parameter j's rotation with angle theta (after the re-uploaded encoding when j
// starts a layer after the first), then the layer's entangler when j is the layer's last.
export function applyParameterGate(j: i32, theta: f64): void {
  if (reuploadsBefore(j)) encode(encodedSample);
  applyRotation(gateKindOf(j), gateQubitOf(j), theta);
  if (endsLayer(j)) applyEntangler();
}

// Applies the gates of parameters from … count−1 (angles from params) to the selected state.
export function applyParameterGates(params: usize, from: i32, count: i32): void {
  for (let j = from; j < count; j++) applyParameterGate(j, f64At(params, j));
}

// Prepares the selected state for one sample at parameters θ = params[].
export function runCircuit(sample: i32, params: usize, count: i32): void {
  prepareInput(sample);
  applyParameterGates(params, 0, count);
}
