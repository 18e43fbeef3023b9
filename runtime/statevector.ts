// f32 statevectors: the gates act on the selected buffer (STATE unless selectState chose
// another, e.g. PREFIX). Qubit q is bit q of the basis index.
// Gates: R_σ(θ) = exp(−iθσ/2), with cos and sin of θ/2 from one sincos call (musl's,
// in AssemblyScript's std); probabilities are accumulated in f64.
import { STATE } from './memory';

let dimension: i32 = 1;
let selected: usize = STATE;

@inline function reAt(i: i32): usize {
  return selected + (<usize>i << 3);
}

export function selectState(buffer: usize): void {
  selected = buffer;
}

// Copies the first 2^qubits amplitudes (of the last stateReset) from one buffer to another.
export function copyState(from: usize, to: usize): void {
  const words = dimension << 1;
  for (let i = 0; i < words; i++) store<u32>(to + (<usize>i << 2), load<u32>(from + (<usize>i << 2)));
}

export function stateReset(qubits: i32): void {
  dimension = 1 << qubits;
  for (let i = 0; i < dimension; i++) {
    store<f32>(reAt(i), 0);
    store<f32>(reAt(i), 0, 4);
  }
  store<f32>(reAt(0), 1);
}

export function applyRX(q: i32, theta: f64): void {
  NativeMath.sincos(theta * 0.5);
  const c = <f32>NativeMath.sincos_cos;
  const s = <f32>NativeMath.sincos_sin;
  const stride = 1 << q;
  for (let base = 0; base < dimension; base += stride << 1) {
    for (let i = base; i < base + stride; i++) {
      const a = reAt(i);
      const b = reAt(i + stride);
      const ar = load<f32>(a), ai = load<f32>(a, 4);
      const br = load<f32>(b), bi = load<f32>(b, 4);
      // [c, −is; −is, c]
      store<f32>(a, c * ar + s * bi);
      store<f32>(a, c * ai - s * br, 4);
      store<f32>(b, c * br + s * ai);
      store<f32>(b, c * bi - s * ar, 4);
    }
  }
}

export function applyRY(q: i32, theta: f64): void {
  NativeMath.sincos(theta * 0.5);
  const c = <f32>NativeMath.sincos_cos;
  const s = <f32>NativeMath.sincos_sin;
  const stride = 1 << q;
  for (let base = 0; base < dimension; base += stride << 1) {
    for (let i = base; i < base + stride; i++) {
      const a = reAt(i);
      const b = reAt(i + stride);
      const ar = load<f32>(a), ai = load<f32>(a, 4);
      const br = load<f32>(b), bi = load<f32>(b, 4);
      // [c, −s; s, c]
      store<f32>(a, c * ar - s * br);
      store<f32>(a, c * ai - s * bi, 4);
      store<f32>(b, s * ar + c * br);
      store<f32>(b, s * ai + c * bi, 4);
    }
  }
}

export function applyRZ(q: i32, theta: f64): void {
  NativeMath.sincos(theta * 0.5);
  const c = <f32>NativeMath.sincos_cos;
  const s = <f32>NativeMath.sincos_sin;
  const stride = 1 << q;
  for (let base = 0; base < dimension; base += stride << 1) {
    for (let i = base; i < base + stride; i++) {
      const a = reAt(i);
      const b = reAt(i + stride);
      const ar = load<f32>(a), ai = load<f32>(a, 4);
      const br = load<f32>(b), bi = load<f32>(b, 4);
      // diag(e^{−iθ/2}, e^{iθ/2}) = diag(c − is, c + is)
      store<f32>(a, c * ar + s * ai);
      store<f32>(a, c * ai - s * ar, 4);
      store<f32>(b, c * br - s * bi);
      store<f32>(b, c * bi + s * br, 4);
    }
  }
}

export function applyH(q: i32): void {
  const r: f32 = <f32>Math.SQRT1_2;
  const stride = 1 << q;
  for (let base = 0; base < dimension; base += stride << 1) {
    for (let i = base; i < base + stride; i++) {
      const a = reAt(i);
      const b = reAt(i + stride);
      const ar = load<f32>(a), ai = load<f32>(a, 4);
      const br = load<f32>(b), bi = load<f32>(b, 4);
      store<f32>(a, r * (ar + br));
      store<f32>(a, r * (ai + bi), 4);
      store<f32>(b, r * (ar - br));
      store<f32>(b, r * (ai - bi), 4);
    }
  }
}

export function applyCZ(q0: i32, q1: i32): void {
  const mask = (1 << q0) | (1 << q1);
  for (let i = 0; i < dimension; i++) {
    if ((i & mask) == mask) {
      const a = reAt(i);
      store<f32>(a, -load<f32>(a));
      store<f32>(a, -load<f32>(a, 4), 4);
    }
  }
}

// CZ(0,1) CZ(1,2) … CZ(n−2,n−1) in one pass: the CZs commute and together negate the
// amplitude of i once per adjacent pair of set bits, i.e. when popcnt(i & i>>1) is odd.
export function applyCZLadder(): void {
  for (let i = 0; i < dimension; i++) {
    if ((popcnt<i32>(i & (i >> 1)) & 1) != 0) {
      const a = reAt(i);
      store<f32>(a, -load<f32>(a));
      store<f32>(a, -load<f32>(a, 4), 4);
    }
  }
}

export function applyCNOT(control: i32, target: i32): void {
  const cmask = 1 << control;
  const tmask = 1 << target;
  for (let i = 0; i < dimension; i++) {
    if ((i & cmask) != 0 && (i & tmask) == 0) {
      const a = reAt(i);
      const b = reAt(i | tmask);
      const ar = load<f32>(a), ai = load<f32>(a, 4);
      store<f32>(a, load<f32>(b));
      store<f32>(a, load<f32>(b, 4), 4);
      store<f32>(b, ar);
      store<f32>(b, ai, 4);
    }
  }
}

export function probabilityOf(index: i32): f64 {
  const a = reAt(index);
  const re = <f64>load<f32>(a);
  const im = <f64>load<f32>(a, 4);
  return re * re + im * im;
}

// p(qubit 0 = 0): the even basis states.
export function probabilityQubit0Zero(): f64 {
  let sum: f64 = 0;
  for (let i = 0; i < dimension; i += 2) sum += probabilityOf(i);
  return sum;
}
