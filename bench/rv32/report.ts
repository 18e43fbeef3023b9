// The budgets as a Markdown table (docs/rv32.md shows the same rows).
import type { Rv32BudgetReport } from './budgets.ts';
import { RV32_BUDGET } from './limits.ts';

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const millions = (n: number) => `${(n / 1e6).toFixed(1)} M`;

export function budgetTable(r: Rv32BudgetReport): string {
  const ramGoal = r.ramPeak <= RV32_BUDGET.ramGoalBytes ? 'within' : 'OVER';
  const ratioGoal = r.interpreterRatio <= RV32_BUDGET.interpreterRatioGoal ? 'within' : 'OVER';
  const o = r.textByOwner;
  const rows: Array<[string, string]> = [
    [
      'step measured',
      `${r.qubits} qubits, hea × ${r.layers} layers, ${r.params} params, local cost, exact parameter shift (${r.evalsPerStep} circuits)`,
    ],
    [
      'flash: text (.init + .text)',
      `${kib(r.text)} (wasm3 ${kib(o.wasm3)}, core ${kib(o.core)}, port ${kib(o.port)}, libc/libgcc ${kib(o.libc)})`,
    ],
    ['flash: module (qiot.wasm)', kib(r.moduleBytes)],
    ['module load at boot (parse + compile), instructions', millions(r.bench.loadInstructions)],
    [
      'RAM: data + bss (static)',
      `${kib(r.data + r.bss)} (data ${r.data} B, bss ${r.bss} B; stack reserve ${kib(r.stackReserve)} not counted)`,
    ],
    ['RAM: heap after module load (bench, every function compiled)', kib(r.heapAfterLoad)],
    ['RAM: heap peak, board trained over the protocol', `${kib(r.heapPeak)} (bench: ${kib(r.benchHeapPeak)})`],
    ['RAM: C stack peak, board trained over the protocol', `${kib(r.stackPeak)} (bench: ${kib(r.benchStackPeak)})`],
    ['wasm3 value stack reached (inside the heap)', `${r.bench.wasm3StackPeak} B of ${r.bench.wasm3StackCapacity} B`],
    ['RAM peak (static + heap + stack)', `${kib(r.ramPeak)}: ${ramGoal} the ${kib(RV32_BUDGET.ramGoalBytes)} goal`],
    ['instructions per step, wasm3', millions(r.moduleInstructions)],
    ['instructions per step, plain C', millions(r.referenceInstructions)],
    ['interpreter ratio', `${r.interpreterRatio.toFixed(2)}×: ${ratioGoal} the ${RV32_BUDGET.interpreterRatioGoal}× goal`],
    [
      "plain C, parameter shift in Q1.30 (the module's format)",
      `${millions(r.shiftReferenceQ30Instructions)} (wasm3 ${(r.moduleInstructions / r.shiftReferenceQ30Instructions).toFixed(1)}× of it)`,
    ],
    [
      'instructions per step, adjoint gradient: wasm3 (Q1.30)',
      `${millions(r.adjointModuleInstructions)}: ${r.adjointModuleInstructions <= RV32_BUDGET.adjointStepGoal ? 'within' : 'OVER'} the ${millions(RV32_BUDGET.adjointStepGoal)} goal`,
    ],
    [
      'adjoint, plain C f32 (soft-float)',
      `${millions(r.adjointReferenceF32Instructions)}: wasm3 Q1.30 is ${(r.adjointModuleInstructions / r.adjointReferenceF32Instructions).toFixed(2)}× of it (goal < 1)`,
    ],
    [
      'adjoint, plain C Q1.30',
      `${millions(r.adjointReferenceQ30Instructions)} (wasm3 ${(r.adjointModuleInstructions / r.adjointReferenceQ30Instructions).toFixed(1)}× of it: the interpreter's cost, to shrink)`,
    ],
    [
      `PROJECTED steps/s at ${RV32_BUDGET.projectionClockHz / 1e6} MHz (1 instr/cycle assumed)`,
      `${r.projectedStepsPerSecond.toFixed(3)} (plain C ${r.projectedReferenceStepsPerSecond.toFixed(3)})`,
    ],
    ['module and plain C agree (loss, ‖g‖, θ; every method and format)', r.agree && r.bench.adjoint.agree ? 'yes' : 'NO'],
  ];
  return ['| budget | value |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
}
