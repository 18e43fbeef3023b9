// Q1.30 fixed-point rotation kernels: an amplitude component x is the i32 round(x · 2^30)
// (range [−2, 2), step 2^−30 ≈ 9.3e−10). Products are formed in i64 and rounded back with
// (sum + 2^29) >> 30: integer arithmetic, identical on every engine and core, no FPU needed.
// c and s are the cos and sin of θ/2 in Q1.30 (widened to i64).

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
  const stride = 1 << q;
  for (let base = 0; base < dimension; base += stride << 1) {
    for (let i = base; i < base + stride; i++) {
      const a = state + (<usize>i << 3);
      const b = state + (<usize>(i + stride) << 3);
      const ar = <i64>load<i32>(a), ai = <i64>load<i32>(a, 4);
      const br = <i64>load<i32>(b), bi = <i64>load<i32>(b, 4);
      store<i32>(a, q30(c * ar + s * bi));
      store<i32>(a, q30(c * ai - s * br), 4);
      store<i32>(b, q30(c * br + s * ai));
      store<i32>(b, q30(c * bi - s * ar), 4);
    }
  }
}

export function rotateYQ30(state: usize, dimension: i32, q: i32, c: i64, s: i64): void {
  const stride = 1 << q;
  for (let base = 0; base < dimension; base += stride << 1) {
    for (let i = base; i < base + stride; i++) {
      const a = state + (<usize>i << 3);
      const b = state + (<usize>(i + stride) << 3);
      const ar = <i64>load<i32>(a), ai = <i64>load<i32>(a, 4);
      const br = <i64>load<i32>(b), bi = <i64>load<i32>(b, 4);
      store<i32>(a, q30(c * ar - s * br));
      store<i32>(a, q30(c * ai - s * bi), 4);
      store<i32>(b, q30(s * ar + c * br));
      store<i32>(b, q30(s * ai + c * bi), 4);
    }
  }
}

export function rotateZQ30(state: usize, dimension: i32, q: i32, c: i64, s: i64): void {
  const stride = 1 << q;
  for (let base = 0; base < dimension; base += stride << 1) {
    for (let i = base; i < base + stride; i++) {
      const a = state + (<usize>i << 3);
      const b = state + (<usize>(i + stride) << 3);
      const ar = <i64>load<i32>(a), ai = <i64>load<i32>(a, 4);
      const br = <i64>load<i32>(b), bi = <i64>load<i32>(b, 4);
      store<i32>(a, q30(c * ar + s * ai));
      store<i32>(a, q30(c * ai - s * ar), 4);
      store<i32>(b, q30(c * br - s * bi));
      store<i32>(b, q30(c * bi + s * br), 4);
    }
  }
}

export function hadamardQ30(state: usize, dimension: i32, q: i32): void {
  const r = toQ30(Math.SQRT1_2);
  const stride = 1 << q;
  for (let base = 0; base < dimension; base += stride << 1) {
    for (let i = base; i < base + stride; i++) {
      const a = state + (<usize>i << 3);
      const b = state + (<usize>(i + stride) << 3);
      const ar = <i64>load<i32>(a), ai = <i64>load<i32>(a, 4);
      const br = <i64>load<i32>(b), bi = <i64>load<i32>(b, 4);
      store<i32>(a, q30(r * (ar + br)));
      store<i32>(a, q30(r * (ai + bi)), 4);
      store<i32>(b, q30(r * (ar - br)));
      store<i32>(b, q30(r * (ai - bi)), 4);
    }
  }
}
