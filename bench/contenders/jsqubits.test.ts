import { describe, expect, it } from 'vitest';
import { hardwareEfficientGates, hardwareEfficientParamCount, gateAngles } from '../circuit.ts';
import { JsqubitsTrainer, probabilityQubit0Zero } from './jsqubits.ts';

// jsqubits drops amplitudes below 1e-7 in magnitude; interference with such a
// dropped term moves a probability by at most ~2e-7.
const SPARSE_ROUNDING = 1e-6;

describe('jsqubits peer against closed forms', () => {
  it('one layer: RZ and CZ are diagonal, so C = (1 − cos θ₀)/2 and only ∂C/∂θ₀ = sin θ₀ / 2 is non-zero', () => {
    const spec = { qubits: 4, layers: 1 };
    const theta = gateAngles(hardwareEfficientParamCount(spec), 3);
    const { loss, gradient } = new JsqubitsTrainer(spec, 0, 1).lossAndGradient(theta);
    expect(loss).toBeCloseTo((1 - Math.cos(theta[0])) / 2, 6);
    expect(gradient[0]).toBeCloseTo(Math.sin(theta[0]) / 2, 6);
    for (const g of gradient.slice(1)) expect(Math.abs(g)).toBeLessThan(SPARSE_ROUNDING);
  });

  it('one qubit, two layers: ⟨Z⟩ = cos a cos c − sin a cos b sin c for RY(a) RZ(b) RY(c) RZ(d)', () => {
    const spec = { qubits: 1, layers: 2 };
    const [a, b, c, d] = gateAngles(4, 11);
    const z = Math.cos(a) * Math.cos(c) - Math.sin(a) * Math.cos(b) * Math.sin(c);
    const dz = [
      -Math.sin(a) * Math.cos(c) - Math.cos(a) * Math.cos(b) * Math.sin(c),
      Math.sin(a) * Math.sin(b) * Math.sin(c),
      -Math.cos(a) * Math.sin(c) - Math.sin(a) * Math.cos(b) * Math.cos(c),
      0,
    ];
    const { loss, gradient } = new JsqubitsTrainer(spec, 0, 1).lossAndGradient([a, b, c, d]);
    expect(Math.abs(loss - (1 - z) / 2)).toBeLessThan(SPARSE_ROUNDING);
    dz.forEach((dzj, j) => {
      expect(Math.abs(gradient[j] - -dzj / 2)).toBeLessThan(SPARSE_ROUNDING);
    });
  });

  it('two qubits: CZ between RY layers entangles, matching the hand-multiplied amplitudes', () => {
    // RY(a)⊗RY(b) on |00⟩, CZ, then RY(c) on qubit 0: amplitudes by hand.
    const [a, b, c] = gateAngles(3, 5);
    const ca = Math.cos(a / 2),
      sa = Math.sin(a / 2),
      cb = Math.cos(b / 2),
      sb = Math.sin(b / 2);
    // index = q1q0 bits; CZ flips the sign of |11⟩.
    const amp = [ca * cb, sa * cb, ca * sb, -sa * sb];
    const cc = Math.cos(c / 2),
      sc = Math.sin(c / 2);
    const q1Zero0 = cc * amp[0] - sc * amp[1];
    const q1One0 = cc * amp[2] - sc * amp[3];
    const expected = q1Zero0 ** 2 + q1One0 ** 2;
    const gates = [
      { kind: 'RY' as const, wire: 0, param: 0 },
      { kind: 'RY' as const, wire: 1, param: 1 },
      { kind: 'CZ' as const, wires: [0, 1] as [number, number] },
      { kind: 'RY' as const, wire: 0, param: 2 },
    ];
    expect(Math.abs(probabilityQubit0Zero(2, gates, [a, b, c]) - expected)).toBeLessThan(SPARSE_ROUNDING);
  });

  it('sampled losses scatter around the exact loss with the binomial spread', () => {
    const spec = { qubits: 3, layers: 2 };
    const theta = gateAngles(hardwareEfficientParamCount(spec), 7);
    const exact = new JsqubitsTrainer(spec, 0, 1).lossAndGradient(theta).loss;
    const shots = 1000;
    const sampled = new JsqubitsTrainer(spec, shots, 42);
    const draws = Array.from({ length: 200 }, () => sampled.lossAndGradient(theta.slice(0, theta.length)).loss);
    const mean = draws.reduce((s, v) => s + v, 0) / draws.length;
    const sigmaOfMean = Math.sqrt((exact * (1 - exact)) / shots / draws.length);
    expect(Math.abs(mean - exact)).toBeLessThan(5 * sigmaOfMean);
    expect(new Set(draws).size).toBeGreaterThan(10);
    for (const d of draws) expect(Math.abs(d * shots - Math.round(d * shots))).toBeLessThan(1e-9);
  });

  it('the gate list has P = 2·L·n parameters, each used once in application order', () => {
    const spec = { qubits: 5, layers: 3 };
    const params = hardwareEfficientGates(spec).flatMap((g) => ('param' in g ? [g.param] : []));
    expect(params).toEqual(Array.from({ length: hardwareEfficientParamCount(spec) }, (_, k) => k));
  });
});
