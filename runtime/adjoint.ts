// Adjoint differentiation for exact mode (docs/abi.md "Gradients"): per sample one forward
// run and one backward sweep, about 4 state passes per parameter instead of the
// 2·(P − j) gate applications per parameter of the shift rule. It reuses the two state buffers:
// STATE holds φ (the forward state, unwound gate by gate) and PREFIX holds λ (M φ, unwound
// alongside). With R(θ) = exp(−iθσ/2), for p = ⟨ψ|M|ψ⟩:
//   ∂p/∂θⱼ = Im⟨λⱼ|σⱼ|φⱼ⟩,  φⱼ = the state right after gate j, λⱼ = (gates after j)† M ψ.
import * as A from './abi.generated';
import { FIXED_POINT } from './build-flags';
import { Q30_ONE } from './kernels-q30';
import { applyRotation, encode, endsLayer, gateKindOf, gateQubitOf, reuploadsBefore, runCircuit, undoEntangler } from './circuits';
import { labelOfSlot, sampleOfSlot, slopeOf } from './costs';
import { readoutBits } from './readout';
import { BATCH_P, GRAD, PARAMS, PREFIX, STATE, f64At, setF64At } from './memory';
import * as S from './settings';
import { copyState, dimension, selectState } from './statevector';

const Q60_UNIT: f64 = 1.0 / (Q30_ONE * Q30_ONE);
const PAULI_X: u8 = 0;
const PAULI_Y: u8 = 1;
const PAULI_Z: u8 = 2;
// λ (PREFIX) sits at this fixed byte offset from φ (STATE).
const TO_LAMBDA: usize = PREFIX - STATE;

// Amplitude components as T: f64 for f32 states, i64 (Q1.30) for fixed-point states,
// whose products (Q2.60) are summed exactly.
@inline function re<T>(address: usize): T {
  if (isInteger<T>()) return <T>load<i32>(address);
  return <T>load<f32>(address);
}
@inline function im<T>(address: usize): T {
  if (isInteger<T>()) return <T>load<i32>(address, 4);
  return <T>load<f32>(address, 4);
}
// The same components of λ, at TO_LAMBDA bytes past φ's.
@inline function lambdaRe<T>(address: usize): T {
  if (isInteger<T>()) return <T>load<i32>(address, TO_LAMBDA);
  return <T>load<f32>(address, TO_LAMBDA);
}
@inline function lambdaIm<T>(address: usize): T {
  if (isInteger<T>()) return <T>load<i32>(address, TO_LAMBDA + 4);
  return <T>load<f32>(address, TO_LAMBDA + 4);
}

// Im⟨λ|σ|φ⟩ for σ = X, Y or Z on qubit q, λ in PREFIX and φ in STATE: one loop per σ (the
// pauli test hoisted out of the amplitude loop), walking φ's pairs by pointer, λ at a fixed
// offset (docs/rv32.md: the device's costs).
function pauliOverlap<T>(pauli: u8, q: i32): f64 {
  let sum: T;
  if (pauli == PAULI_X) sum = overlapSum<T>(PAULI_X, q);
  else if (pauli == PAULI_Y) sum = overlapSum<T>(PAULI_Y, q);
  else sum = overlapSum<T>(PAULI_Z, q);
  if (isInteger<T>()) return <f64>sum * Q60_UNIT;
  return <f64>sum;
}

@inline function overlapSum<T>(pauli: u8, q: i32): T {
  let sum: T = 0;
  const half = <usize>8 << q;
  const stop = STATE + (<usize>dimension << 3);
  let pa = STATE;
  do {
    const end = pa + half;
    do {
      const pb = pa + half;
      const lar = lambdaRe<T>(pa), lai = lambdaIm<T>(pa), lbr = lambdaRe<T>(pb), lbi = lambdaIm<T>(pb);
      const par = re<T>(pa), pai = im<T>(pa), pbr = re<T>(pb), pbi = im<T>(pb);
      if (pauli == PAULI_X) {
        // Im(λa* φb) + Im(λb* φa)
        sum += lar * pbi - lai * pbr + lbr * pai - lbi * par;
      } else if (pauli == PAULI_Y) {
        // Im(λa* (−i φb)) + Im(λb* (i φa)) = −Re(λa* φb) + Re(λb* φa)
        sum += lbr * par + lbi * pai - lar * pbr - lai * pbi;
      } else {
        // Im(λa* φa) − Im(λb* φb)
        sum += lar * pai - lai * par - lbr * pbi + lbi * pbr;
      }
      pa += 8;
    } while (pa < end);
    pa += half;
  } while (pa < stop);
  return sum;
}

// λ = M φ: the projector of the cost's probability (qubit 0 = 0, or |0…0⟩ for global), or for
// the mean-z readout M = mean over qubits of the projectors onto qᵢ = 0, the diagonal
// (n − popcount(i))/n.
function projectIntoPrefix(): void {
  copyState(STATE, PREFIX);
  if (readoutBits() > 1) {
    const n = S.qubits;
    for (let i = 0; i < dimension; i++) scalePrefixAmplitude(i, <f64>(n - <i32>popcnt<u32>(<u32>i)) / <f64>n);
    return;
  }
  for (let i = 1; i < dimension; i++) {
    if (S.cost == A.COST_GLOBAL || (i & 1) != 0) store<u64>(PREFIX + (<usize>i << 3), 0);
  }
}

function scalePrefixAmplitude(i: i32, w: f64): void {
  const a = PREFIX + (<usize>i << 3);
  if (FIXED_POINT) {
    store<i32>(a, <i32>Math.round(<f64>load<i32>(a) * w));
    store<i32>(a, <i32>Math.round(<f64>load<i32>(a, 4) * w), 4);
  } else {
    store<f32>(a, <f32>(<f64>load<f32>(a) * w));
    store<f32>(a, <f32>(<f64>load<f32>(a, 4) * w), 4);
  }
}

// True right after the step's loss pass ran slot b's circuit at θ into STATE, its last work on
// the state: the next adjointSlot(b) starts its sweep from that state instead of running the same
// circuit again (a batch of one: one forward run per step instead of two). step-slices.ts sets
// it after the loss chunk and clears it at the start of every slice, so no other export can have
// touched STATE in between.
let forwardInState: bool = false;

export function markForwardInState(ready: bool): void {
  forwardInState = ready;
}

// Adds slope · ∂p_b/∂θ of batch slot b to GRAD (p_b from BATCH_P: exact mode only).
export function adjointSlot(b: i32, count: i32): void {
  const slope = slopeOf(f64At(BATCH_P, b), labelOfSlot(b));
  const sample = sampleOfSlot(b);
  selectState(STATE);
  if (!forwardInState) runCircuit(sample, PARAMS, count);
  forwardInState = false;
  projectIntoPrefix();
  for (let j = count - 1; j >= 0; j--) {
    if (endsLayer(j)) {
      selectState(STATE);
      undoEntangler();
      selectState(PREFIX);
      undoEntangler();
    }
    const kind = gateKindOf(j);
    const q = gateQubitOf(j);
    if (j >= S.trainFrom) {
      const derivative = FIXED_POINT ? pauliOverlap<i64>(kind, q) : pauliOverlap<f64>(kind, q);
      setF64At(GRAD, j, f64At(GRAD, j) + slope * derivative);
    }
    if (j > 0) {
      const undo = -f64At(PARAMS, j);
      selectState(STATE);
      applyRotation(kind, q, undo);
      if (reuploadsBefore(j)) encode(sample, -1);
      selectState(PREFIX);
      applyRotation(kind, q, undo);
      if (reuploadsBefore(j)) encode(sample, -1);
    }
  }
  selectState(STATE);
}
