// Item 4: footprint. The module's size (measured here) and the rv32 firmware's
// sections, heap and stack peaks (from bench/rv32-budgets).
import { statSync } from 'node:fs';
import type { z } from 'zod';
import { GOALS } from '../config.ts';
import { notMeasured, type Quantity, type QuantitySection } from '../results-schema.ts';
import type { Rv32Outcome } from './rv32.ts';

export interface FootprintInput {
  modulePath: string;
  rv32: Rv32Outcome;
}

const bytes = (value: number, source: string, goal?: { text: string; met: boolean }): Quantity => ({
  measured: true,
  value,
  unit: 'bytes',
  source,
  ...(goal ? { goal: goal.text, met: goal.met } : {}),
});

export function measureFootprint(input: FootprintInput): z.infer<typeof QuantitySection> {
  const items: Record<string, Quantity> = {};
  try {
    const size = statSync(input.modulePath).size;
    items['module (qiot.wasm)'] = bytes(size, input.modulePath, {
      text: `≤ ${GOALS.moduleBytes} bytes (16 KiB)`,
      met: size <= GOALS.moduleBytes,
    });
  } catch {
    items['module (qiot.wasm)'] = notMeasured(`${input.modulePath} not built (make runtime)`);
  }
  const rv32 = input.rv32;
  const names = ['rv32 firmware text', 'rv32 firmware data', 'rv32 firmware bss', 'rv32 heap peak', 'rv32 stack peak', 'rv32 RAM total'];
  if ('error' in rv32) {
    for (const name of names) items[name] = notMeasured(rv32.error);
  } else {
    const at = `${rv32.qubits} qubits × ${rv32.layers} layers`;
    items['rv32 firmware text'] = bytes(rv32.text, `${rv32.elf} (size)`);
    items['rv32 firmware data'] = bytes(rv32.data, `${rv32.elf} (size)`);
    items['rv32 firmware bss'] = bytes(rv32.bss, `${rv32.elf} (size)`);
    items['rv32 heap peak'] = bytes(rv32.heapPeak, `bench ELF under QEMU, ${at}`);
    items['rv32 stack peak'] = bytes(rv32.stackPeak, `bench ELF under QEMU, ${at}`);
    const ram = rv32.data + rv32.bss + rv32.heapPeak + rv32.stackPeak;
    items['rv32 RAM total'] = bytes(ram, `data + bss + heap peak + stack peak, ${at}`, {
      text: `≤ ${GOALS.ramBytes} bytes (128 KiB) at 10 qubits`,
      met: ram <= GOALS.ramBytes && rv32.qubits === 10,
    });
  }
  return { measured: true, items, notes: [] };
}
