// Angle encoding and the three ansätze of docs/abi.md, applied from |0…0⟩.
import { DATASET, GATE_KIND, f64At } from './memory';
import { nextBelow } from './prng';
import * as S from './settings';
import { applyCNOT, applyCZLadder, applyRX, applyRY, applyRZ, stateReset } from './statevector';

export const GATE_RX: u8 = 0;
export const GATE_RY: u8 = 1;
export const GATE_RZ: u8 = 2;

export function featureOf(sample: i32, feature: i32): f64 {
  return <f64>load<f32>(DATASET + (<usize>(sample * S.nFeatures + feature) << 2));
}

export function labelOf(sample: i32): f64 {
  const samples = S.nTrain + S.nTest;
  return <f64>load<f32>(DATASET + (<usize>(samples * S.nFeatures + sample) << 2));
}

// McClean gate kinds: one uniform draw from {RX, RY, RZ} per parameter, in parameter order.
export function drawGateKinds(count: i32): void {
  for (let j = 0; j < count; j++) store<u8>(GATE_KIND + <usize>j, <u8>nextBelow(3));
}


function applyRotation(kind: u8, q: i32, theta: f64): void {
  if (kind == GATE_RX) applyRX(q, theta);
  else if (kind == GATE_RY) applyRY(q, theta);
  else applyRZ(q, theta);
}

// Prepares the state for one sample (sample < 0: no encoding) at parameters θ = params[].
export function runCircuit(sample: i32, params: usize): void {
  const n = S.qubits;
  stateReset(n);
  if (sample >= 0) {
    for (let i = 0; i < S.nFeatures; i++) applyRY(i, featureOf(sample, i));
  }
  let j = 0;
  if (S.ansatz == S.ANSATZ_HEA) {
    for (let layer = 0; layer < S.layers; layer++) {
      for (let q = 0; q < n; q++) {
        applyRY(q, f64At(params, j++));
        applyRZ(q, f64At(params, j++));
      }
      applyCZLadder();
    }
  } else if (S.ansatz == S.ANSATZ_MCCLEAN) {
    for (let q = 0; q < n; q++) applyRY(q, Math.PI / 4);
    for (let layer = 0; layer < S.layers; layer++) {
      for (let q = 0; q < n; q++) {
        applyRotation(load<u8>(GATE_KIND + <usize>j), q, f64At(params, j));
        j++;
      }
      applyCZLadder();
    }
  } else {
    for (let layer = 0; layer < S.layers; layer++) {
      for (let q = 0; q < n; q++) {
        applyRX(q, f64At(params, j++));
        applyRY(q, f64At(params, j++));
      }
      for (let q = 0; q + 1 < n; q++) applyCNOT(q, q + 1);
    }
  }
}
