// Item 3: the interpreter's cost. wasm3 natively vs V8 on the same module and
// config (taken from the interleaved native rounds), and on rv32 the retired
// instructions per step of wasm3 vs the plain-C kernel (bench/rv32-budgets).
import { z } from 'zod';
import { GOALS } from '../config.ts';
import { notMeasured, type NativeSection, type Quantity, type QuantitySection } from '../results-schema.ts';
import { QIOT_NODE } from './peers.ts';
import { WASM3_NATIVE } from './native.ts';
import type { Rv32Outcome } from './rv32.ts';

export interface InterpreterInput {
  native: z.infer<typeof NativeSection>;
  rv32: Rv32Outcome;
}

export function interpreterItems(input: InterpreterInput): z.infer<typeof QuantitySection> {
  const items: Record<string, Quantity> = {};
  const notes: string[] = [];
  const key = `${WASM3_NATIVE} / ${QIOT_NODE}`;
  if (!input.native.measured) {
    items['wasm3 / Node'] = notMeasured(input.native.reason);
  } else {
    for (const row of input.native.rows) {
      const ratio = row.ratios[key];
      items[`wasm3 / Node step time, ${row.qubits} qubits`] = ratio
        ? { measured: true, value: ratio.median, unit: '×', goal: `≤ ${GOALS.wasm3OverNode}×`, met: ratio.median <= GOALS.wasm3OverNode,
            source: `paired median over ${row.timings[QIOT_NODE]?.measured ? (row.timings[QIOT_NODE] as { rounds: number }).rounds : '?'} interleaved rounds, 95 % CI [${ratio.low.toFixed(2)}, ${ratio.high.toFixed(2)}]` }
        : notMeasured(`native wasm3 or plain-C timing missing at ${row.qubits} qubits`);
    }
    notes.push('wasm3 here is firmware/core/runner.c with the firmware\'s wasm3 0.5.0 build (gcc -O2) on this machine, the same interpreter the posix board runs.');
  }
  const budgets = input.rv32;
  if ('error' in budgets) {
    items['rv32 instructions per step, wasm3 / plain C'] = notMeasured(budgets.error);
  } else {
    const ratio = budgets.moduleInstructions / budgets.referenceInstructions;
    items['rv32 instructions per step, wasm3 / plain C'] = {
      measured: true, value: ratio, unit: '×', goal: `≤ ${GOALS.rv32InstructionRatio}×`, met: ratio <= GOALS.rv32InstructionRatio,
      source: `minstret under qemu -icount shift=0, ${budgets.qubits} qubits × ${budgets.layers} layers (${budgets.moduleInstructions} vs ${budgets.referenceInstructions})`,
    };
  }
  return { measured: true, items, notes };
}
