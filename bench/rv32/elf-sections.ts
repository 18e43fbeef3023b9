// Section sizes of an rv32 ELF (riscv64-unknown-elf-size -A) and, from the
// linker map, how much of the flash image each part of the firmware takes.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface SectionBudget {
  /** .init + .text (code and read-only data, in flash). */
  text: number;
  /** .data + .tdata: initialised RAM (its initial image also sits in flash). */
  data: number;
  /** .bss + .tbss: zeroed RAM, without the stack reserve. */
  bss: number;
  /** .stack: the reserve the linker script sets aside for the C stack. */
  stackReserve: number;
}

export function parseSizeA(output: string): SectionBudget {
  const sizes = new Map<string, number>();
  for (const line of output.split('\n')) {
    const m = /^(\.\S+)\s+(\d+)\s+\d+\s*$/.exec(line);
    if (m) sizes.set(m[1], Number(m[2]));
  }
  if (!sizes.has('.text')) throw new Error(`size -A output has no .text section:\n${output}`);
  const get = (name: string) => sizes.get(name) ?? 0;
  return {
    text: get('.init') + get('.text'),
    data: get('.data') + get('.tdata'),
    bss: get('.bss') + get('.tbss'),
    stackReserve: get('.stack'),
  };
}

export function sectionBudget(elf: string, sizeTool = 'riscv64-unknown-elf-size'): SectionBudget {
  return parseSizeA(execFileSync(sizeTool, ['-A', elf], { encoding: 'utf8' }));
}

export type TextOwner = 'wasm3' | 'core' | 'port' | 'libc';

export function ownerOf(objectPath: string): TextOwner {
  if (/\/wasm3\//.test(objectPath)) return 'wasm3';
  if (/firmware\/core\//.test(objectPath)) return 'core';
  if (/firmware\/ports\//.test(objectPath)) return 'port';
  return 'libc';
}

/** Bytes of .init/.text contributed by each owner, from a GNU ld map file. */
export function textByOwner(map: string): Record<TextOwner, number> {
  const pieces: Array<{ address: number; size: number; owner: TextOwner }> = [];
  const body = map.slice(map.indexOf('Linker script and memory map'));
  let inText = false;
  let pendingInput = false;
  for (const line of body.split('\n')) {
    const output = /^(\.\S+)/.exec(line);
    if (output) {
      inText = output[1] === '.text' || output[1] === '.init';
      continue;
    }
    if (!inText) continue;
    // An input section: " .text.name 0xADDR 0xSIZE file.o", or its name alone
    // on one line and the address, size and file on the next.
    const full = /^ \S+\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)/.exec(line);
    const continued = pendingInput ? /^\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)/.exec(line) : null;
    const m = full ?? continued;
    pendingInput = /^ \.\S+$/.test(line);
    if (m && parseInt(m[1], 16) !== 0) pieces.push({ address: parseInt(m[1], 16), size: parseInt(m[2], 16), owner: ownerOf(m[3]) });
  }
  // Merged string sections are listed with the size of the whole merged block
  // at the first contributor: a piece never extends past the next one.
  pieces.sort((a, b) => a.address - b.address);
  const totals: Record<TextOwner, number> = { wasm3: 0, core: 0, port: 0, libc: 0 };
  pieces.forEach((piece, i) => {
    const next = pieces[i + 1];
    totals[piece.owner] += next ? Math.min(piece.size, next.address - piece.address) : piece.size;
  });
  return totals;
}

export function textByOwnerOf(mapFile: string): Record<TextOwner, number> {
  return textByOwner(readFileSync(mapFile, 'utf8'));
}
