// Statevectors of interleaved (re, im) pairs: f32, or Q1.30 i32 in the fixed-point build
// (runtime/build-flags.ts). The gates act on the selected buffer (STATE unless selectState
// chose another, e.g. PREFIX). Qubit q is bit q of the basis index.
// Gates: R_σ(θ) = exp(−iθσ/2), with cos and sin of θ/2 from one sincos call (musl's, in
// AssemblyScript's std); probabilities are accumulated in f64 (f32) or exactly in i64 (Q1.30).
import { FIXED_POINT, HOST_BUILD } from './build-flags';
import { hadamardF32, rotateXF32, rotateYF32, rotateZF32 } from './kernels-f32';
import { Q30_ONE, hadamardQ30, rotateXQ30, rotateYQ30, rotateZQ30, toQ30 } from './kernels-q30';
import { rotateX0Simd, rotateXSimd, rotateY0Simd, rotateYSimd, rotateZ0Simd, rotateZSimd } from './kernels-simd';
import { STATE } from './memory';

const GATE_X: i32 = 0;
const GATE_Y: i32 = 1;
const GATE_Z: i32 = 2;
// 2^−60: a Q2.60 product of two Q1.30 values as a real number.
const Q60_UNIT: f64 = 1.0 / (Q30_ONE * Q30_ONE);

export let dimension: i32 = 1;
export let selected: usize = STATE;
// Fixed point has no NaN: a non-finite angle since the last stateReset marks the state
// undefined instead, and probabilities read NaN (as f32 arithmetic would give).
let undefinedState: bool = false;

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
  undefinedState = false;
  for (let i = 0; i < dimension; i++) store<u64>(reAt(i), 0);
  if (FIXED_POINT) store<i32>(reAt(0), 1 << 30);
  else store<f32>(reAt(0), 1);
}

function rotate(axis: i32, q: i32, theta: f64): void {
  NativeMath.sincos(theta * 0.5);
  const cos = NativeMath.sincos_cos;
  const sin = NativeMath.sincos_sin;
  if (FIXED_POINT) {
    if (!isFinite<f64>(theta)) {
      undefinedState = true;
      return;
    }
    const c = toQ30(cos), s = toQ30(sin);
    if (axis == GATE_X) rotateXQ30(selected, dimension, q, c, s);
    else if (axis == GATE_Y) rotateYQ30(selected, dimension, q, c, s);
    else rotateZQ30(selected, dimension, q, c, s);
  } else {
    const c = <f32>cos, s = <f32>sin;
    if (HOST_BUILD && q > 0) {
      if (axis == GATE_X) rotateXSimd(selected, dimension, q, c, s);
      else if (axis == GATE_Y) rotateYSimd(selected, dimension, q, c, s);
      else rotateZSimd(selected, dimension, q, c, s);
    } else if (HOST_BUILD) {
      if (axis == GATE_X) rotateX0Simd(selected, dimension, c, s);
      else if (axis == GATE_Y) rotateY0Simd(selected, dimension, c, s);
      else rotateZ0Simd(selected, dimension, c, s);
    } else if (axis == GATE_X) rotateXF32(selected, dimension, q, c, s);
    else if (axis == GATE_Y) rotateYF32(selected, dimension, q, c, s);
    else rotateZF32(selected, dimension, q, c, s);
  }
}

export function applyRX(q: i32, theta: f64): void {
  rotate(GATE_X, q, theta);
}

export function applyRY(q: i32, theta: f64): void {
  rotate(GATE_Y, q, theta);
}

export function applyRZ(q: i32, theta: f64): void {
  rotate(GATE_Z, q, theta);
}

export function applyH(q: i32): void {
  if (FIXED_POINT) hadamardQ30(selected, dimension, q);
  else hadamardF32(selected, dimension, q);
}

@inline function negate(i: i32): void {
  const a = reAt(i);
  if (FIXED_POINT) {
    store<i32>(a, -load<i32>(a));
    store<i32>(a, -load<i32>(a, 4), 4);
  } else {
    store<f32>(a, -load<f32>(a));
    store<f32>(a, -load<f32>(a, 4), 4);
  }
}

export function applyCZ(q0: i32, q1: i32): void {
  const mask = (1 << q0) | (1 << q1);
  for (let i = 0; i < dimension; i++) {
    if ((i & mask) == mask) negate(i);
  }
}

// CZ(0,1) CZ(1,2) … CZ(n−2,n−1) in one pass: the CZs commute and together negate the
// amplitude of i once per adjacent pair of set bits, i.e. when popcnt(i & i>>1) is odd.
export function applyCZLadder(): void {
  if (HOST_BUILD) {
    // Branch-free: f32 negation flips the sign bit (what f32.neg does), so XOR both components'
    // sign bits with the parity; a mispredicted branch per amplitude cost more than the pass.
    for (let i = 0; i < dimension; i++) {
      const a = reAt(i);
      const flip = <u64>(popcnt<u32>(<u32>(i & (i >> 1))) & 1) * 0x8000000080000000;
      store<u64>(a, load<u64>(a) ^ flip);
    }
    return;
  }
  for (let i = 0; i < dimension; i++) {
    if ((popcnt<i32>(i & (i >> 1)) & 1) != 0) negate(i);
  }
}

// Swaps amplitude pairs bit for bit: the same code for both number formats.
export function applyCNOT(control: i32, target: i32): void {
  const cmask = 1 << control;
  const tmask = 1 << target;
  for (let i = 0; i < dimension; i++) {
    if ((i & cmask) != 0 && (i & tmask) == 0) {
      const a = reAt(i);
      const b = reAt(i | tmask);
      const t = load<u64>(a);
      store<u64>(a, load<u64>(b));
      store<u64>(b, t);
    }
  }
}

// |amplitude|² in Q2.60 (fixed-point build only): exact, summed exactly in i64.
@inline function squaredQ60(a: usize): i64 {
  const re = <i64>load<i32>(a), im = <i64>load<i32>(a, 4);
  return re * re + im * im;
}

export function probabilityOf(index: i32): f64 {
  const a = reAt(index);
  if (FIXED_POINT) return undefinedState ? NaN : <f64>squaredQ60(a) * Q60_UNIT;
  const re = <f64>load<f32>(a);
  const im = <f64>load<f32>(a, 4);
  return re * re + im * im;
}

// p(qubit 0 = 0): the even basis states.
export function probabilityQubit0Zero(): f64 {
  if (FIXED_POINT) {
    let exact: i64 = 0;
    for (let i = 0; i < dimension; i += 2) exact += squaredQ60(reAt(i));
    return undefinedState ? NaN : <f64>exact * Q60_UNIT;
  }
  let sum: f64 = 0;
  for (let i = 0; i < dimension; i += 2) sum += probabilityOf(i);
  return sum;
}
