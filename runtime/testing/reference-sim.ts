// Independent f64 statevector simulator for tests: plain 2×2 matrices applied to
// amplitude pairs, no shared code with the AssemblyScript module.

export interface C {
  re: number;
  im: number;
}
export type Matrix2 = [[C, C], [C, C]];

const c = (re: number, im = 0): C => ({ re, im });
const mul = (a: C, b: C): C => c(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re);
const add = (a: C, b: C): C => c(a.re + b.re, a.im + b.im);

export const gates = {
  rx: (t: number): Matrix2 => [
    [c(Math.cos(t / 2)), c(0, -Math.sin(t / 2))],
    [c(0, -Math.sin(t / 2)), c(Math.cos(t / 2))],
  ],
  ry: (t: number): Matrix2 => [
    [c(Math.cos(t / 2)), c(-Math.sin(t / 2))],
    [c(Math.sin(t / 2)), c(Math.cos(t / 2))],
  ],
  rz: (t: number): Matrix2 => [
    [c(Math.cos(t / 2), -Math.sin(t / 2)), c(0)],
    [c(0), c(Math.cos(t / 2), Math.sin(t / 2))],
  ],
  h: (): Matrix2 => [
    [c(Math.SQRT1_2), c(Math.SQRT1_2)],
    [c(Math.SQRT1_2), c(-Math.SQRT1_2)],
  ],
};

export class ReferenceState {
  readonly amplitudes: C[];

  constructor(readonly qubits: number) {
    this.amplitudes = Array.from({ length: 2 ** qubits }, (_, i) => c(i === 0 ? 1 : 0));
  }

  apply(q: number, m: Matrix2): this {
    const bit = 1 << q;
    for (let i = 0; i < this.amplitudes.length; i++) {
      if (i & bit) continue;
      const a0 = this.amplitudes[i];
      const a1 = this.amplitudes[i | bit];
      this.amplitudes[i] = add(mul(m[0][0], a0), mul(m[0][1], a1));
      this.amplitudes[i | bit] = add(mul(m[1][0], a0), mul(m[1][1], a1));
    }
    return this;
  }

  cz(a: number, b: number): this {
    for (let i = 0; i < this.amplitudes.length; i++) {
      if ((i >> a) & 1 && (i >> b) & 1) this.amplitudes[i] = c(-this.amplitudes[i].re, -this.amplitudes[i].im);
    }
    return this;
  }

  cnot(control: number, target: number): this {
    const next = this.amplitudes.slice();
    for (let i = 0; i < this.amplitudes.length; i++) {
      const j = (i >> control) & 1 ? i ^ (1 << target) : i;
      next[j] = this.amplitudes[i];
    }
    next.forEach((value, i) => (this.amplitudes[i] = value));
    return this;
  }

  probability(index: number): number {
    const a = this.amplitudes[index];
    return a.re * a.re + a.im * a.im;
  }

  /** p(qubit 0 measures 0). */
  probabilityQubit0Zero(): number {
    let sum = 0;
    for (let i = 0; i < this.amplitudes.length; i += 2) sum += this.probability(i);
    return sum;
  }

  /** ⟨Z_q⟩. */
  expectationZ(q: number): number {
    let sum = 0;
    for (let i = 0; i < this.amplitudes.length; i++) sum += ((i >> q) & 1 ? -1 : 1) * this.probability(i);
    return sum;
  }
}
