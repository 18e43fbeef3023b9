// f32x4 rotation kernels of the host build: one v128 holds amplitudes i and i+1
// (re, im, re, im); for q ≥ 1 (pairs i, i + 2^q with stride ≥ 2) it holds two a's or two b's,
// for qubit 0 one whole pair (the *0Simd kernels below). Lane by lane the same f32 products and sums as kernels-f32.ts (x + (−s)·y is
// x − s·y exactly), so results are bit-identical to the scalar build.

// (re, im) → (im, re) in both halves.
@inline function swapPairs(v: v128): v128 {
  return v128.shuffle<f32>(v, v, 1, 0, 3, 2);
}

export function rotateXSimd(state: usize, dimension: i32, q: i32, c: f32, s: f32): void {
  const stride = 1 << q;
  const vc = f32x4.splat(c);
  const vs = f32x4(s, -s, s, -s);
  for (let base = 0; base < dimension; base += stride << 1) {
    for (let i = base; i < base + stride; i += 2) {
      const a = state + (<usize>i << 3);
      const b = state + (<usize>(i + stride) << 3);
      const va = v128.load(a);
      const vb = v128.load(b);
      // a' = (c ar + s bi, c ai − s br); b' = (c br + s ai, c bi − s ar)
      v128.store(a, f32x4.add(f32x4.mul(vc, va), f32x4.mul(vs, swapPairs(vb))));
      v128.store(b, f32x4.add(f32x4.mul(vc, vb), f32x4.mul(vs, swapPairs(va))));
    }
  }
}

export function rotateYSimd(state: usize, dimension: i32, q: i32, c: f32, s: f32): void {
  const stride = 1 << q;
  const vc = f32x4.splat(c);
  const vs = f32x4.splat(s);
  for (let base = 0; base < dimension; base += stride << 1) {
    for (let i = base; i < base + stride; i += 2) {
      const a = state + (<usize>i << 3);
      const b = state + (<usize>(i + stride) << 3);
      const va = v128.load(a);
      const vb = v128.load(b);
      v128.store(a, f32x4.sub(f32x4.mul(vc, va), f32x4.mul(vs, vb)));
      v128.store(b, f32x4.add(f32x4.mul(vs, va), f32x4.mul(vc, vb)));
    }
  }
}

export function rotateZSimd(state: usize, dimension: i32, q: i32, c: f32, s: f32): void {
  const stride = 1 << q;
  const vc = f32x4.splat(c);
  const upper = f32x4(s, -s, s, -s);
  const lower = f32x4(-s, s, -s, s);
  for (let base = 0; base < dimension; base += stride << 1) {
    for (let i = base; i < base + stride; i += 2) {
      const a = state + (<usize>i << 3);
      const b = state + (<usize>(i + stride) << 3);
      const va = v128.load(a);
      const vb = v128.load(b);
      // a' = (c ar + s ai, c ai − s ar); b' = (c br − s bi, c bi + s br)
      v128.store(a, f32x4.add(f32x4.mul(vc, va), f32x4.mul(upper, swapPairs(va))));
      v128.store(b, f32x4.add(f32x4.mul(vc, vb), f32x4.mul(lower, swapPairs(vb))));
    }
  }
}

// Qubit 0: one v128 holds the whole pair (a = amplitude i, b = i + 1) as (ar, ai, br, bi).
// The lanes compute the same products and sums as the scalar kernels (a sum's operands may
// be swapped: f32 addition is commutative), so results stay bit-identical.

export function rotateX0Simd(state: usize, dimension: i32, c: f32, s: f32): void {
  const vc = f32x4.splat(c);
  const vs = f32x4(s, -s, s, -s);
  for (let i = 0; i < dimension; i += 2) {
    const p = state + (<usize>i << 3);
    const v = v128.load(p);
    // (c ar + s bi, c ai − s br, c br + s ai, c bi − s ar)
    v128.store(p, f32x4.add(f32x4.mul(vc, v), f32x4.mul(vs, v128.shuffle<f32>(v, v, 3, 2, 1, 0))));
  }
}

export function rotateY0Simd(state: usize, dimension: i32, c: f32, s: f32): void {
  const vc = f32x4.splat(c);
  const vs = f32x4(-s, -s, s, s);
  for (let i = 0; i < dimension; i += 2) {
    const p = state + (<usize>i << 3);
    const v = v128.load(p);
    // (c ar − s br, c ai − s bi, c br + s ar, c bi + s ai)
    v128.store(p, f32x4.add(f32x4.mul(vc, v), f32x4.mul(vs, v128.shuffle<f32>(v, v, 2, 3, 0, 1))));
  }
}

export function rotateZ0Simd(state: usize, dimension: i32, c: f32, s: f32): void {
  const vc = f32x4.splat(c);
  const vs = f32x4(s, -s, -s, s);
  for (let i = 0; i < dimension; i += 2) {
    const p = state + (<usize>i << 3);
    const v = v128.load(p);
    // (c ar + s ai, c ai − s ar, c br − s bi, c bi + s br)
    v128.store(p, f32x4.add(f32x4.mul(vc, v), f32x4.mul(vs, swapPairs(v))));
  }
}
