// Runs the bench ELF under QEMU with exact instruction counting and combines its
// report with the board ELF's sections into the budgets of docs/rv32.md.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { parseBenchOutput, type BenchRun } from './bench-output.ts';
import { measureBoardRam, type BoardRam } from './board-ram.ts';
import { sectionBudget, textByOwnerOf, type SectionBudget, type TextOwner } from './elf-sections.ts';
import { RV32_BUDGET } from './limits.ts';

const run = promisify(execFile);

export interface Rv32BudgetReport {
  elf: string;
  qubits: number;
  layers: number;
  params: number;
  evalsPerStep: number;
  /** Steady-state step (the last one measured). */
  moduleInstructions: number;
  referenceInstructions: number;
  interpreterRatio: number;
  /** The step with the adjoint gradient (from θ₀): module, plain C f32, plain C Q1.30. */
  adjointModuleInstructions: number;
  adjointReferenceF32Instructions: number;
  adjointReferenceQ30Instructions: number;
  /** Plain-C parameter shift in Q1.30, beside referenceInstructions (f32). */
  shiftReferenceQ30Instructions: number;
  text: number;
  data: number;
  bss: number;
  stackReserve: number;
  textByOwner: Record<TextOwner, number>;
  moduleBytes: number;
  heapAfterLoad: number;
  /** Heap and stack high-water marks of the board firmware after training the step over the protocol. */
  heapPeak: number;
  stackPeak: number;
  /** The same in the bench ELF (runner only, no protocol). */
  benchHeapPeak: number;
  benchStackPeak: number;
  /** data + bss + heap peak + stack peak of the board. */
  ramPeak: number;
  /** PROJECTION, not a measurement: projectionClockHz / instructions, one instruction per cycle. */
  projectedStepsPerSecond: number;
  projectedReferenceStepsPerSecond: number;
  agree: boolean;
  bench: BenchRun;
}

export class BudgetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BudgetError';
  }
}

export function benchQemuArgs(benchElf: string): string[] {
  return ['-M', 'virt', '-m', '128M', '-bios', benchElf, '-display', 'none', '-monitor', 'none', '-serial', 'stdio', '-icount', 'shift=0'];
}

export async function runBench(benchElf: string, qemu = 'qemu-system-riscv32'): Promise<BenchRun> {
  if (!existsSync(benchElf)) throw new BudgetError(`${benchElf} not found: run \`make rv32-bench\``);
  let stdout: string;
  try {
    ({ stdout } = await run(qemu, benchQemuArgs(benchElf), { timeout: RV32_BUDGET.qemuTimeoutMs, encoding: 'utf8' }));
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    if (err.stdout) return parseBenchOutput(err.stdout); // names the failure the bench printed
    throw new BudgetError(`${qemu} failed on ${benchElf}: ${err.stderr || err.message}`);
  }
  return parseBenchOutput(stdout);
}

export function combine(
  boardElf: string,
  sections: SectionBudget,
  owners: Record<TextOwner, number>,
  bench: BenchRun,
  board: BoardRam,
): Rv32BudgetReport {
  const last = bench.steps.at(-1);
  if (!last) throw new BudgetError('the bench measured no step');
  return {
    elf: boardElf,
    qubits: bench.qubits,
    layers: bench.layers,
    params: bench.params,
    evalsPerStep: last.evals,
    moduleInstructions: last.moduleInstructions,
    referenceInstructions: last.referenceInstructions,
    interpreterRatio: last.moduleInstructions / last.referenceInstructions,
    adjointModuleInstructions: bench.adjoint.moduleInstructions,
    adjointReferenceF32Instructions: bench.adjoint.referenceF32Instructions,
    adjointReferenceQ30Instructions: bench.adjoint.referenceQ30Instructions,
    shiftReferenceQ30Instructions: bench.adjoint.shiftReferenceQ30Instructions,
    text: sections.text,
    data: sections.data,
    bss: sections.bss,
    stackReserve: sections.stackReserve,
    textByOwner: owners,
    moduleBytes: bench.moduleBytes,
    heapAfterLoad: bench.heapAfterLoad,
    heapPeak: board.heapPeak,
    stackPeak: board.stackPeak,
    benchHeapPeak: bench.heapPeak,
    benchStackPeak: bench.stackPeak,
    ramPeak: sections.data + sections.bss + board.heapPeak + board.stackPeak,
    projectedStepsPerSecond: RV32_BUDGET.projectionClockHz / last.moduleInstructions,
    projectedReferenceStepsPerSecond: RV32_BUDGET.projectionClockHz / last.referenceInstructions,
    agree: bench.agree,
    bench,
  };
}

export async function measureBudgets(boardElf: string, benchElf: string, modulePath: string, qemu?: string): Promise<Rv32BudgetReport> {
  if (!existsSync(boardElf)) throw new BudgetError(`${boardElf} not found: run \`make firmware-rv32\``);
  if (!existsSync(modulePath)) throw new BudgetError(`${modulePath} not found: run \`make runtime\``);
  const mapFile = boardElf.replace(/\.elf$/, '.map');
  if (!existsSync(mapFile)) throw new BudgetError(`${mapFile} not found: relink with \`make firmware-rv32\``);
  const bench = await runBench(benchElf, qemu);
  const board = await measureBoardRam(boardElf, modulePath, bench.qubits, bench.layers);
  return combine(boardElf, sectionBudget(boardElf), textByOwnerOf(mapFile), bench, board);
}
