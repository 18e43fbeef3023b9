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

// One amplitude component as T: f64 for f32 states, i64 (Q1.30) for fixed-point states,
// whose products (Q2.60) are summed exactly.
@inline function part<T>(address: usize, offset: usize): T {
  if (isInteger<T>()) return <T>load<i32>(address + offset);
  return <T>load<f32>(address + offset);
}

// Im⟨λ|σ|φ⟩ for σ = X, Y or Z on qubit q, λ in PREFIX and φ in STATE.
function pauliOverlap<T>(pauli: u8, q: i32): f64 {
  let sum: T = 0;
  const stride = 1 << q;
  for (let base = 0; base < dimension; base += stride << 1) {
    for (let i = base; i < base + stride; i++) {
      const la = PREFIX + (<usize>i << 3), lb = PREFIX + (<usize>(i + stride) << 3);
      const pa = STATE + (<usize>i << 3), pb = STATE + (<usize>(i + stride) << 3);
      const lar = part<T>(la, 0), lai = part<T>(la, 4), lbr = part<T>(lb, 0), lbi = part<T>(lb, 4);
      const par = part<T>(pa, 0), pai = part<T>(pa, 4), pbr = part<T>(pb, 0), pbi = part<T>(pb, 4);
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
    }
  }
  if (isInteger<T>()) return <f64>sum * Q60_UNIT;
  return <f64>sum;
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

// Adds slope · ∂p_b/∂θ of batch slot b to GRAD (p_b from BATCH_P: exact mode only).
export function adjointSlot(b: i32, count: i32): void {
  const slope = slopeOf(f64At(BATCH_P, b), labelOfSlot(b));
  const sample = sampleOfSlot(b);
  selectState(STATE);
  runCircuit(sample, PARAMS, count);
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
