import { describe, expect, it } from 'vitest';
import { BenchOutputError, parseBenchOutput } from './bench-output.ts';

const OUTPUT = [
  'bench qubits=10 layers=2',
  'module_bytes=14333 load_instructions=41234567',
  'params=40',
  'heap_after_load=122988',
  'step=1 module_instructions=6751547164 reference_instructions=1781736723 evals=81',
  'step=1 module_loss=0.355411541 reference_loss=0.355411541 module_grad_norm=0.561853539 reference_grad_norm=0.561853539 theta_gap=0 agree=1',
  'step=2 module_instructions=6751472603 reference_instructions=1781660112 evals=81',
  'step=2 module_loss=0.324214644 reference_loss=0.324214645 module_grad_norm=0.548216262 reference_grad_norm=0.548216262 theta_gap=6.94e-18 agree=1',
  'adjoint_module_instructions=82065572 adjoint_evals=2 adjoint_grad_norm=0.5618536075883176',
  'adjoint_reference_f32_instructions=117243953 adjoint_reference_f32_grad_norm=0.56185349 adjoint_reference_f32_agree=1',
  'adjoint_reference_q30_instructions=10891290 adjoint_reference_q30_grad_norm=0.5618536075883176 adjoint_reference_q30_agree=1',
  'shift_reference_q30_instructions=113684020 shift_reference_q30_grad_norm=0.5618536074973394 shift_reference_q30_agree=1',
  'heap_peak=122988 heap_capacity=296384',
  'stack_peak=5632 stack_capacity=16384',
  'wasm3_stack_peak=1448 wasm3_stack_capacity=8192',
  'bench_done agree=1',
].join('\r\n');

describe('parseBenchOutput', () => {
  it("reads the run values and merges each step's lines", () => {
    const run = parseBenchOutput(OUTPUT);
    expect(run).toMatchObject({
      qubits: 10,
      layers: 2,
      params: 40,
      moduleBytes: 14333,
      loadInstructions: 41234567,
      heapAfterLoad: 122988,
      heapPeak: 122988,
      heapCapacity: 296384,
      stackPeak: 5632,
      stackCapacity: 16384,
      wasm3StackPeak: 1448,
      wasm3StackCapacity: 8192,
      agree: true,
    });
    expect(run.adjoint).toEqual({
      moduleInstructions: 82065572,
      evals: 2,
      referenceF32Instructions: 117243953,
      referenceQ30Instructions: 10891290,
      shiftReferenceQ30Instructions: 113684020,
      agree: true,
    });
    expect(run.steps).toHaveLength(2);
    expect(run.steps[1]).toEqual({
      step: 2,
      moduleInstructions: 6751472603,
      referenceInstructions: 1781660112,
      evals: 81,
      moduleLoss: 0.324214644,
      referenceLoss: 0.324214645,
      moduleGradNorm: 0.548216262,
      referenceGradNorm: 0.548216262,
      thetaGap: 6.94e-18,
      agree: true,
    });
  });

  it('reports a disagreement of an adjoint or Q1.30 reference', () => {
    const run = parseBenchOutput(OUTPUT.replace('adjoint_reference_q30_agree=1', 'adjoint_reference_q30_agree=0'));
    expect(run.adjoint.agree).toBe(false);
  });

  it('reports a disagreement the bench found', () => {
    const run = parseBenchOutput(
      OUTPUT.replace('theta_gap=0 agree=1', 'theta_gap=0.5 agree=0').replace('bench_done agree=1', 'bench_done agree=0'),
    );
    expect(run.agree).toBe(false);
    expect(run.steps[0].agree).toBe(false);
  });

  it('names the failure the bench printed', () => {
    expect(() => parseBenchOutput('bench qubits=10 layers=2\nerror=module load: parse: bad magic\n')).toThrow(
      /the bench failed: error=module load: parse: bad magic/,
    );
  });

  it('refuses a run that did not finish', () => {
    const cut = OUTPUT.split('\r\n').slice(0, 5).join('\n');
    expect(() => parseBenchOutput(cut)).toThrow(BenchOutputError);
    expect(() => parseBenchOutput(cut)).toThrow(/did not finish/);
  });

  it('refuses a finished run that lacks a value', () => {
    expect(() => parseBenchOutput(OUTPUT.replace('params=40\r\n', ''))).toThrow(/lacks a numeric params/);
    expect(() => parseBenchOutput(OUTPUT.replace('load_instructions=41234567', 'load_instructions=x'))).toThrow(
      /lacks a numeric load_instructions/,
    );
  });
});
