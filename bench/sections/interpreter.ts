// Item 3: the interpreter's cost. wasm3 natively vs V8 on the same module and
// config (taken from the interleaved native rounds), and on rv32 the retired
// instructions per step of wasm3 vs the plain-C kernel (bench/rv32-budgets).
import type { z } from 'zod';
import { GOALS } from '../config.ts';
import { notMeasured, type NativeSection, type Quantity, type QuantitySection } from '../results-schema.ts';
import { QIOT_NODE } from './peers.ts';
import { POSIX_BOARD, WASM3_NATIVE, ratioKey } from './native.ts';
import type { Rv32Outcome } from './rv32.ts';

export interface InterpreterInput {
  native: z.infer<typeof NativeSection>;
  rv32: Rv32Outcome;
}

export function interpreterItems(input: InterpreterInput): z.infer<typeof QuantitySection> {
  const items: Record<string, Quantity> = {};
  const notes: string[] = [];
  if (!input.native.measured) {
    items['wasm3 / Node step time'] = notMeasured(input.native.reason);
  } else {
    for (const row of input.native.rows) {
      for (const [name, label] of [
        [POSIX_BOARD, 'posix board (wasm3) / Node'],
        [WASM3_NATIVE, 'native wasm3 runner / Node'],
      ] as const) {
        const ratio = row.ratios[ratioKey(name, QIOT_NODE)];
        const timing = row.timings[name];
        items[`${label} step time, ${row.qubits} qubits`] = ratio
          ? {
              measured: true,
              value: ratio.median,
              unit: '×',
              goal: `≤ ${GOALS.wasm3OverNode}×`,
              met: ratio.median <= GOALS.wasm3OverNode,
              source: `paired median of interleaved rounds, 95 % CI [${ratio.low.toFixed(2)}, ${ratio.high.toFixed(2)}]`,
            }
          : notMeasured(timing && !timing.measured ? timing.reason : `${name} was not timed at ${row.qubits} qubits`);
      }
    }
    notes.push(
      'Both wasm3 figures run the same module and config as Node: the posix board reports its own step_us; the native runner is firmware/core/runner.c in a bare timing loop.',
    );
  }
  const budgets = input.rv32;
  if ('error' in budgets) {
    items['rv32 instructions per step, wasm3 / plain C'] = notMeasured(budgets.error);
  } else {
    const ratio = budgets.moduleInstructions / budgets.referenceInstructions;
    items['rv32 instructions per step, wasm3 / plain C'] = {
      measured: true,
      value: ratio,
      unit: '×',
      goal: `≤ ${GOALS.rv32InstructionRatio}×`,
      met: ratio <= GOALS.rv32InstructionRatio,
      source: `minstret under qemu -icount shift=0, ${budgets.qubits} qubits × ${budgets.layers} layers, parameter shift, Q1.30 module vs f32 C (${budgets.moduleInstructions} vs ${budgets.referenceInstructions})`,
    };
    const at = `minstret under qemu -icount shift=0, ${budgets.qubits} qubits × ${budgets.layers} layers, one exact SGD step`;
    items['rv32 instructions per adjoint step, wasm3 (Q1.30)'] = {
      measured: true,
      value: budgets.adjointModuleInstructions / 1e6,
      unit: 'M instructions',
      goal: `≤ ${GOALS.rv32AdjointInstructions / 1e6} M`,
      met: budgets.adjointModuleInstructions <= GOALS.rv32AdjointInstructions,
      source: at,
    };
    items['rv32 adjoint step, wasm3 (Q1.30) / plain C soft-float f32'] = {
      measured: true,
      value: budgets.adjointModuleInstructions / budgets.adjointReferenceF32Instructions,
      unit: '×',
      goal: '< 1×',
      met: budgets.adjointModuleInstructions < budgets.adjointReferenceF32Instructions,
      source: `${at} (${budgets.adjointModuleInstructions} vs ${budgets.adjointReferenceF32Instructions})`,
    };
    items['rv32 adjoint step, wasm3 (Q1.30) / plain C Q1.30 (interpreter cost, no goal)'] = {
      measured: true,
      value: budgets.adjointModuleInstructions / budgets.adjointReferenceQ30Instructions,
      unit: '×',
      source: `${at} (${budgets.adjointModuleInstructions} vs ${budgets.adjointReferenceQ30Instructions})`,
    };
    items['rv32 shift step, wasm3 (Q1.30) / plain C Q1.30 (interpreter cost, no goal)'] = {
      measured: true,
      value: budgets.moduleInstructions / budgets.shiftReferenceQ30Instructions,
      unit: '×',
      source: `${at} with parameter shift (${budgets.moduleInstructions} vs ${budgets.shiftReferenceQ30Instructions})`,
    };
  }
  return { measured: true, items, notes };
}
