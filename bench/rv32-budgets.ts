// Prints the rv32 board's budgets (docs/rv32.md): sections of the board ELF,
// heap and stack peaks of the board during a training step (read through QEMU's
// monitor), instructions per 10-qubit training step in wasm3 and in plain C
// under QEMU -icount shift=0, and a labelled 160 MHz projection.
//   npx tsx bench/rv32-budgets.ts [--json]   (after make firmware-rv32 rv32-bench)
import { Command } from 'commander';
import { measureBudgets } from './rv32/budgets.ts';
import { RV32_BUDGET_PATHS } from './rv32/limits.ts';
import { budgetTable } from './rv32/report.ts';

const program = new Command()
  .name('rv32-budgets')
  .description('measure the rv32 board budgets under QEMU')
  .option('--json', 'print one JSON object instead of a table')
  .option('--board-elf <file>', 'board firmware', RV32_BUDGET_PATHS.boardElf)
  .option('--bench-elf <file>', 'bench firmware', RV32_BUDGET_PATHS.benchElf)
  .option('--module <file>', 'module the board is given over the protocol', RV32_BUDGET_PATHS.module)
  .option('--qemu <binary>', 'QEMU for riscv32', 'qemu-system-riscv32')
  .action(async (opts: { json?: boolean; boardElf: string; benchElf: string; module: string; qemu: string }) => {
    try {
      const report = await measureBudgets(opts.boardElf, opts.benchElf, opts.module, opts.qemu);
      if (opts.json) {
        const { bench: _bench, ...summary } = report;
        console.log(JSON.stringify(summary, null, 2));
      } else {
        console.log(budgetTable(report));
      }
      process.exitCode = report.agree ? 0 : 1;
    } catch (e) {
      console.error(`rv32-budgets: ${(e as Error).message}`);
      process.exitCode = 1;
    }
  });

await program.parseAsync();
