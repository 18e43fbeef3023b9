// The rv32 engineer's budgets (bench/rv32-budgets.ts): instructions per step
// of wasm3 and of the plain-C kernel under QEMU, firmware sections, heap and
// stack peaks. This file only runs that script and checks what it reports.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { z } from 'zod';

export const RV32_BUDGETS_SCRIPT = 'bench/rv32-budgets.ts';
/** QEMU at -icount shift=0 runs a 10-qubit step in well under a minute; more is a hang. */
const RV32_TIMEOUT_MS = 300_000;

export const Rv32Budgets = z.object({
  elf: z.string(),
  qubits: z.int(),
  layers: z.int(),
  moduleInstructions: z.number().positive(),
  referenceInstructions: z.number().positive(),
  adjointModuleInstructions: z.number().positive(),
  adjointReferenceF32Instructions: z.number().positive(),
  adjointReferenceQ30Instructions: z.number().positive(),
  shiftReferenceQ30Instructions: z.number().positive(),
  text: z.int().nonnegative(),
  data: z.int().nonnegative(),
  bss: z.int().nonnegative(),
  heapPeak: z.int().nonnegative(),
  stackPeak: z.int().nonnegative(),
});
export type Rv32Budgets = z.infer<typeof Rv32Budgets>;
export type Rv32Outcome = Rv32Budgets | { error: string };

export function rv32Budgets(log: (line: string) => void): Rv32Outcome {
  if (!existsSync(RV32_BUDGETS_SCRIPT)) return { error: `${RV32_BUDGETS_SCRIPT} is not in this checkout` };
  log(`  running ${RV32_BUDGETS_SCRIPT}`);
  let stdout: string;
  try {
    stdout = execFileSync('npx', ['tsx', RV32_BUDGETS_SCRIPT, '--json'], { encoding: 'utf8', timeout: RV32_TIMEOUT_MS });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    return { error: `${RV32_BUDGETS_SCRIPT} failed: ${(err.stderr || err.message).trim().split('\n').slice(-3).join(' ')}` };
  }
  return parseRv32Budgets(stdout);
}

export function parseRv32Budgets(stdout: string): Rv32Outcome {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    return { error: `${RV32_BUDGETS_SCRIPT} printed no JSON: ${stdout.slice(0, 200)}` };
  }
  const result = Rv32Budgets.safeParse(parsed);
  return result.success ? result.data : { error: `${RV32_BUDGETS_SCRIPT} output lacks fields: ${z.prettifyError(result.error)}` };
}
