// Q1.30 fixed-point rotation kernels: an amplitude component x is the i32 round(x · 2^30)
// (range [−2, 2), step 2^−30 ≈ 9.3e−10). Products are formed in i64 and rounded back with
// (sum + 2^29) >> 30: integer arithmetic, identical on every engine and core, no FPU needed.
// c and s are the cos and sin of θ/2 in Q1.30 (widened to i64).
// The loops walk byte pointers (a, and its partner b = a + half) in do-while form: wasm3
// folds a local operand into its op for free but pays for every index shift, add and extra
// branch, and these loops are most of a step's instructions on the device (docs/rv32.md).
// Every caller has q < qubits, so each loop runs at least once.

export const Q30_ONE: f64 = 1073741824.0;
const HALF: i64 = 1 << 29;

// round(x · 2^30) for |x| ≤ 1.
@inline export function toQ30(x: f64): i64 {
  return <i64>nearest(x * Q30_ONE);
}

@inline function q30(sum: i64): i32 {
  return <i32>((sum + HALF) >> 30);
}

export function rotateXQ30(state: usize, dimension: i32, q: i32, c: i64, s: i64): void {
  const half = <usize>8 << q;
  const stop = state + (<usize>dimension << 3);
  let a = state;
  do {
    const end = a + half;
    do {
      const b = a + half;
      const ar = <i64>load<i32>(a), ai = <i64>load<i32>(a, 4);
      const br = <i64>load<i32>(b), bi = <i64>load<i32>(b, 4);
      store<i32>(a, q30(c * ar + s * bi));
      store<i32>(a, q30(c * ai - s * br), 4);
      store<i32>(b, q30(c * br + s * ai));
      store<i32>(b, q30(c * bi - s * ar), 4);
      a += 8;
    } while (a < end);
    a += half;
  } while (a < stop);
}

export function rotateYQ30(state: usize, dimension: i32, q: i32, c: i64, s: i64): void {
  const half = <usize>8 << q;
  const stop = state + (<usize>dimension << 3);
  let a = state;
  do {
    const end = a + half;
    do {
      const b = a + half;
      const ar = <i64>load<i32>(a), ai = <i64>load<i32>(a, 4);
      const br = <i64>load<i32>(b), bi = <i64>load<i32>(b, 4);
      store<i32>(a, q30(c * ar - s * br));
      store<i32>(a, q30(c * ai - s * bi), 4);
      store<i32>(b, q30(s * ar + c * br));
      store<i32>(b, q30(s * ai + c * bi), 4);
      a += 8;
    } while (a < end);
    a += half;
  } while (a < stop);
}

export function rotateZQ30(state: usize, dimension: i32, q: i32, c: i64, s: i64): void {
  const half = <usize>8 << q;
  const stop = state + (<usize>dimension << 3);
  let a = state;
  do {
    const end = a + half;
    do {
      const b = a + half;
      const ar = <i64>load<i32>(a), ai = <i64>load<i32>(a, 4);
      const br = <i64>load<i32>(b), bi = <i64>load<i32>(b, 4);
      store<i32>(a, q30(c * ar + s * ai));
      store<i32>(a, q30(c * ai - s * ar), 4);
      store<i32>(b, q30(c * br - s * bi));
      store<i32>(b, q30(c * bi + s * br), 4);
      a += 8;
    } while (a < end);
    a += half;
  } while (a < stop);
}

export function hadamardQ30(state: usize, dimension: i32, q: i32): void {
  const r = toQ30(Math.SQRT1_2);
  const half = <usize>8 << q;
  const stop = state + (<usize>dimension << 3);
  let a = state;
  do {
    const end = a + half;
    do {
      const b = a + half;
      const ar = <i64>load<i32>(a), ai = <i64>load<i32>(a, 4);
      const br = <i64>load<i32>(b), bi = <i64>load<i32>(b, 4);
      store<i32>(a, q30(r * (ar + br)));
      store<i32>(a, q30(r * (ai + bi)), 4);
      store<i32>(b, q30(r * (ar - br)));
      store<i32>(b, q30(r * (ai - bi)), 4);
      a += 8;
    } while (a < end);
    a += half;
  } while (a < stop);
}
