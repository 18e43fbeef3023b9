// Gate-level checks of the module's f32 simulator through the diagnostic exports.
import { describe, expect, it } from 'vitest';
import { QiotAbortError, type GateName } from '../host/src/wasm/index.ts';
import { freshModule, lcgAngles } from './testing/fixtures.ts';
import { ReferenceState, gates } from './testing/reference-sim.ts';

// f32 amplitudes: probabilities carry ~1e-7 relative error per gate.
const F32_TOLERANCE = 1e-5;

function zExpectation(probabilities: number[]): number {
  return probabilities[0] - probabilities[1];
}

describe('single-qubit rotations', () => {
  const module = freshModule();
  const angles = [0, 0.3, 1, Math.PI / 2, 2.5, Math.PI, 4, -1.2];

  it.each(['RX', 'RY'] as const)('%s(θ)|0⟩ gives ⟨Z⟩ = cos θ', (gate) => {
    for (const theta of angles) {
      module.svReset(1);
      module.svApply(gate, 0, 0, theta);
      expect(zExpectation([module.svProb(0), module.svProb(1)])).toBeCloseTo(Math.cos(theta), 5);
    }
  });

  it('H|0⟩ gives ⟨Z⟩ = 0 and H H = I', () => {
    module.svReset(1);
    module.svApply('H', 0);
    expect(zExpectation([module.svProb(0), module.svProb(1)])).toBeCloseTo(0, 6);
    module.svApply('H', 0);
    expect(module.svProb(0)).toBeCloseTo(1, 6);
  });

  it('RZ acts as a relative phase: H RZ(θ) H |0⟩ gives ⟨Z⟩ = cos θ', () => {
    for (const theta of angles) {
      module.svReset(1);
      module.svApply('H', 0);
      module.svApply('RZ', 0, 0, theta);
      module.svApply('H', 0);
      expect(zExpectation([module.svProb(0), module.svProb(1)])).toBeCloseTo(Math.cos(theta), 5);
    }
  });
});

describe('entangled states', () => {
  const module = freshModule();

  it('Bell state H(0) CNOT(0→1) gives p(00) = p(11) = 1/2', () => {
    module.svReset(2);
    module.svApply('H', 0);
    module.svApply('CNOT', 0, 1);
    const p = [0, 1, 2, 3].map((i) => module.svProb(i));
    expect(p[0]).toBeCloseTo(0.5, 6);
    expect(p[3]).toBeCloseTo(0.5, 6);
    expect(p[1]).toBe(0);
    expect(p[2]).toBe(0);
  });

  it('GHZ on 5 qubits: p(00000) = p(11111) = 1/2, all else 0', () => {
    module.svReset(5);
    module.svApply('H', 0);
    for (let q = 0; q < 4; q++) module.svApply('CNOT', q, q + 1);
    for (let i = 0; i < 32; i++) {
      expect(module.svProb(i)).toBeCloseTo(i === 0 || i === 31 ? 0.5 : 0, 6);
    }
  });

  it('CZ flips the phase of |11⟩ only (seen through H on the target)', () => {
    module.svReset(2);
    module.svApply('H', 0);
    module.svApply('H', 1);
    module.svApply('CZ', 0, 1);
    module.svApply('H', 1);
    // (|0⟩|+⟩ + |1⟩|−⟩)/√2 after H on qubit 1 becomes (|0⟩|0⟩ + |1⟩|1⟩)/√2: a Bell state.
    expect(module.svProb(0b00)).toBeCloseTo(0.5, 6);
    expect(module.svProb(0b11)).toBeCloseTo(0.5, 6);
  });
});

describe('random gate sequences against the f64 reference', () => {
  it('agrees on every basis probability within f32 tolerance', () => {
    const module = freshModule();
    const n = 4;
    const angles = lcgAngles(60, 7, 2 * Math.PI);
    const kinds: GateName[] = ['RX', 'RY', 'RZ', 'H', 'CZ', 'CNOT'];
    const reference = new ReferenceState(n);
    module.svReset(n);
    angles.forEach((angle, k) => {
      const gate = kinds[k % kinds.length];
      const q0 = (k * 3) % n;
      const q1 = (q0 + 1 + (k % (n - 1))) % n;
      module.svApply(gate, q0, q1, angle);
      if (gate === 'CZ') reference.cz(q0, q1);
      else if (gate === 'CNOT') reference.cnot(q0, q1);
      else reference.apply(q0, gate === 'H' ? gates.h() : gates[gate.toLowerCase() as 'rx' | 'ry' | 'rz'](angle));
    });
    for (let i = 0; i < 2 ** n; i++) expect(Math.abs(module.svProb(i) - reference.probability(i))).toBeLessThan(F32_TOLERANCE);
  });
});

describe('diagnostic exports refuse bad input through env.abort', () => {
  const module = freshModule();

  // One shared text (docs/abi.md): every check refuses, and valid calls in between still work.
  it('refuses each kind of misuse with the diagnostics message', () => {
    const refused = /qiot module aborted: sv_\*: argument out of range/;
    expect(() => module.svReset(11)).toThrow(refused);
    expect(() => module.svReset(0)).toThrow(refused);
    module.svReset(2);
    expect(() => module.svApply('CNOT', 0, 0)).toThrow(refused);
    expect(() => module.svApply('CZ', 0, 2)).toThrow(refused);
    expect(() => module.svApply('RX', 2)).toThrow(refused);
    expect(() => module.svProb(4)).toThrow(refused);
    module.svApply('RX', 1, 0, Math.PI);
    expect(module.svProb(2)).toBeCloseTo(1, 6);
  });
});
