// Runs the real bench ELF under QEMU (make firmware-rv32 rv32-bench) and checks
// its numbers against independent truth: the same module run in Node for the
// same config and θ, and the linker's own windows.
import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { QiotModule } from '../../host/src/wasm/module.ts';
import { qemuAvailable } from '../../host/src/boards/rv32.ts';
import { benchAbiConfig } from './board-ram.ts';
import { measureBudgets, type Rv32BudgetReport } from './budgets.ts';
import { RV32_BUDGET, RV32_BUDGET_PATHS } from './limits.ts';

/** firmware/ports/rv32/bench_config.c and qref_fixed_theta, restated. */
function nodeStep(qubits: number, layers: number): { loss: number; gradNorm: number } {
  const module = QiotModule.fromBytes(new Uint8Array(readFileSync('build/qiot.wasm')));
  module.writeConfig(benchAbiConfig(qubits, layers, 1));
  expect(module.init()).toBe(0);
  const count = module.paramCount;
  module.setParams(Array.from({ length: count }, (_, j) => (0.1 + 0.37 * j) % (2 * Math.PI)));
  const { record } = module.step();
  return { loss: record.loss, gradNorm: record.gradNorm };
}

describe.skipIf(!qemuAvailable())('rv32 budgets under QEMU (skipped: qemu-system-riscv32 not installed)', () => {
  let report: Rv32BudgetReport;

  beforeAll(async () => {
    for (const [path, make] of [
      [RV32_BUDGET_PATHS.boardElf, 'firmware-rv32'],
      [RV32_BUDGET_PATHS.benchElf, 'rv32-bench'],
    ]) {
      if (!existsSync(path)) throw new Error(`${path} is missing: run \`make ${make}\``);
    }
    report = await measureBudgets(RV32_BUDGET_PATHS.boardElf, RV32_BUDGET_PATHS.benchElf, RV32_BUDGET_PATHS.module);
  }, RV32_BUDGET.qemuTimeoutMs);

  it('runs the module on rv32 to the same loss and gradient as in Node and as plain C', () => {
    const first = report.bench.steps[0];
    const node = nodeStep(report.qubits, report.layers);
    // The bench prints 17 significant digits: wasm3 on rv32 and Node agree to the bit.
    expect(first.moduleLoss).toBe(node.loss);
    expect(first.moduleGradNorm).toBe(node.gradNorm);
    expect(report.agree).toBe(true);
    expect(first.evals).toBe(1 + 2 * report.params);
  });

  it('counts instructions, not host time: equal steps cost the same to 0.1%', () => {
    const [a, b] = report.bench.steps;
    expect(Math.abs(a.moduleInstructions - b.moduleInstructions) / b.moduleInstructions).toBeLessThan(1e-3);
    expect(Math.abs(a.referenceInstructions - b.referenceInstructions) / b.referenceInstructions).toBeLessThan(1e-3);
  });

  it('stays inside the heap and stack the linker script provides, on the bench and on the board', () => {
    const run = report.bench;
    expect(run.heapPeak).toBeGreaterThanOrEqual(run.heapAfterLoad);
    for (const [heap, stack] of [
      [run.heapPeak, run.stackPeak],
      [report.heapPeak, report.stackPeak],
    ]) {
      expect(heap).toBeLessThan(run.heapCapacity);
      // The stack must not have reached the bottom of its reserve (overflow would corrupt the heap).
      expect(stack).toBeGreaterThan(0);
      expect(stack).toBeLessThan(run.stackCapacity);
    }
    // The board compiles functions on first call (rv32.mk), the bench ELF all of them at load:
    // the board's run holds its own code only, so at most the bench's every-function heap, and
    // at least the 64 KiB linear-memory page besides some compiled code.
    expect(report.heapPeak).toBeLessThanOrEqual(run.heapAfterLoad);
    expect(report.heapPeak).toBeGreaterThan(65536 + 16384);
    expect(report.ramPeak).toBeLessThanOrEqual(RV32_BUDGET.ramWindowBytes);
    expect(run.wasm3StackPeak).toBeGreaterThan(0);
    expect(run.wasm3StackPeak).toBeLessThan(run.wasm3StackCapacity);
    // The heap holds at least the module's 64 KiB linear-memory page.
    expect(run.heapPeak).toBeGreaterThan(65536);
  });
});
