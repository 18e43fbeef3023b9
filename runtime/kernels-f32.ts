// f32 rotation kernels: amplitude pairs (i, i + 2^q) of the selected state, c and s the
// cos and sin of θ/2. Every product and sum is an f32 operation (no fused multiply-add),
// so Node and wasm3 round identically.

export function rotateXF32(state: usize, dimension: i32, q: i32, c: f32, s: f32): void {
  const stride = 1 << q;
  for (let base = 0; base < dimension; base += stride << 1) {
    for (let i = base; i < base + stride; i++) {
      const a = state + ((<usize>i) << 3);
      const b = state + ((<usize>(i + stride)) << 3);
      const ar = load<f32>(a),
        ai = load<f32>(a, 4);
      const br = load<f32>(b),
        bi = load<f32>(b, 4);
      // [c, −is; −is, c]
      store<f32>(a, c * ar + s * bi);
      store<f32>(a, c * ai - s * br, 4);
      store<f32>(b, c * br + s * ai);
      store<f32>(b, c * bi - s * ar, 4);
    }
  }
}

export function rotateYF32(state: usize, dimension: i32, q: i32, c: f32, s: f32): void {
  const stride = 1 << q;
  for (let base = 0; base < dimension; base += stride << 1) {
    for (let i = base; i < base + stride; i++) {
      const a = state + ((<usize>i) << 3);
      const b = state + ((<usize>(i + stride)) << 3);
      const ar = load<f32>(a),
        ai = load<f32>(a, 4);
      const br = load<f32>(b),
        bi = load<f32>(b, 4);
      // [c, −s; s, c]
      store<f32>(a, c * ar - s * br);
      store<f32>(a, c * ai - s * bi, 4);
      store<f32>(b, s * ar + c * br);
      store<f32>(b, s * ai + c * bi, 4);
    }
  }
}

export function rotateZF32(state: usize, dimension: i32, q: i32, c: f32, s: f32): void {
  const stride = 1 << q;
  for (let base = 0; base < dimension; base += stride << 1) {
    for (let i = base; i < base + stride; i++) {
      const a = state + ((<usize>i) << 3);
      const b = state + ((<usize>(i + stride)) << 3);
      const ar = load<f32>(a),
        ai = load<f32>(a, 4);
      const br = load<f32>(b),
        bi = load<f32>(b, 4);
      // diag(e^{−iθ/2}, e^{iθ/2}) = diag(c − is, c + is)
      store<f32>(a, c * ar + s * ai);
      store<f32>(a, c * ai - s * ar, 4);
      store<f32>(b, c * br - s * bi);
      store<f32>(b, c * bi + s * br, 4);
    }
  }
}

export function hadamardF32(state: usize, dimension: i32, q: i32): void {
  const r: f32 = <f32>Math.SQRT1_2;
  const stride = 1 << q;
  for (let base = 0; base < dimension; base += stride << 1) {
    for (let i = base; i < base + stride; i++) {
      const a = state + ((<usize>i) << 3);
      const b = state + ((<usize>(i + stride)) << 3);
      const ar = load<f32>(a),
        ai = load<f32>(a, 4);
      const br = load<f32>(b),
        bi = load<f32>(b, 4);
      store<f32>(a, r * (ar + br));
      store<f32>(a, r * (ai + bi), 4);
      store<f32>(b, r * (ar - br));
      store<f32>(b, r * (ai - bi), 4);
    }
  }
}
