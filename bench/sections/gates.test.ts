import { describe, expect, it } from 'vitest';
import { compareGate } from './peers.ts';
import { referenceTheta } from './native.ts';
import { parseRv32Budgets } from './rv32.ts';

describe('correctness gate comparison', () => {
  const ref = { loss: 0.25, gradient: [0.1, -0.2, 0.3] };
  it('passes within tolerance and reports the largest differences', () => {
    const c = compareGate(4, 'ref', ref, 'cand', { loss: 0.25 + 4e-5, gradient: [0.1, -0.2 - 6e-5, 0.3] }, 1e-4);
    expect(c.passed).toBe(true);
    expect(c.lossDifference).toBeCloseTo(4e-5, 12);
    expect(c.maxGradientDifference).toBeCloseTo(6e-5, 12);
  });
  it('fails on one derivative beyond tolerance (e.g. a swapped parameter order)', () => {
    expect(compareGate(4, 'ref', ref, 'cand', { loss: 0.25, gradient: [-0.2, 0.1, 0.3] }, 1e-4).passed).toBe(false);
  });
  it('fails on the loss alone', () => {
    expect(compareGate(4, 'ref', ref, 'cand', { loss: 0.26, gradient: ref.gradient }, 1e-4).passed).toBe(false);
  });
  it('refuses gradients of different lengths', () => {
    expect(() => compareGate(4, 'ref', ref, 'cand', { loss: 0.25, gradient: [0.1] }, 1e-4)).toThrow(/1 derivatives/);
  });
});

describe('reference θ of firmware/reference/qref.h', () => {
  it('is 0.1 + 0.37·j folded into [0, 2π)', () => {
    const theta = referenceTheta(20);
    expect(theta[0]).toBe(0.1);
    expect(theta[2]).toBeCloseTo(0.84, 12);
    expect(theta[17]).toBeCloseTo(0.1 + 0.37 * 17 - 2 * Math.PI, 12);
    for (const t of theta) expect(t >= 0 && t < 2 * Math.PI).toBe(true);
  });
});

describe('rv32 budgets output', () => {
  const valid = {
    elf: 'b.elf',
    qubits: 10,
    layers: 2,
    moduleInstructions: 6e9,
    referenceInstructions: 1.8e9,
    adjointModuleInstructions: 8.2e7,
    adjointReferenceF32Instructions: 1.17e8,
    adjointReferenceQ30Instructions: 1.1e7,
    shiftReferenceQ30Instructions: 1.14e8,
    text: 115982,
    data: 180,
    bss: 8220,
    heapPeak: 122988,
    stackPeak: 5632,
    agree: true,
  };
  it("accepts the script's JSON (extra fields allowed)", () => {
    expect(parseRv32Budgets(JSON.stringify(valid))).toMatchObject({ qubits: 10, heapPeak: 122988 });
  });
  it('names missing fields', () => {
    const { heapPeak: _drop, ...partial } = valid;
    const out = parseRv32Budgets(JSON.stringify(partial));
    expect('error' in out && out.error).toMatch(/heapPeak/);
  });
  it('names output that is not JSON', () => {
    const out = parseRv32Budgets('qemu: cannot open ELF');
    expect('error' in out && out.error).toMatch(/printed no JSON: qemu: cannot open ELF/);
  });
});
