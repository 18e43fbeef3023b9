import { describe, expect, it } from 'vitest';
import { ownerOf, parseSizeA, textByOwner } from './elf-sections.ts';

describe('parseSizeA', () => {
  it('splits flash, static RAM and the stack reserve', () => {
    const output = [
      'fw.elf  :',
      'section               size         addr',
      '.init                   86   2147483648',
      '.text               115896   2147483736',
      '.data                  180   2151677952',
      '.tbss                    4   2151678132',
      '.tbss_space              4   2151678132',
      '.bss                  8216   2151678136',
      '.stack               16384   2151686352',
      '.comment                64            0',
      'Total               140834',
    ].join('\n');
    expect(parseSizeA(output)).toEqual({ text: 86 + 115896, data: 180, bss: 8216 + 4, stackReserve: 16384 });
  });

  it('refuses output without a .text section', () => {
    expect(() => parseSizeA('garbage')).toThrow(/no \.text section/);
  });
});

describe('textByOwner', () => {
  // Excerpt in GNU ld's map format: discarded sections first (ignored), then
  // the memory map with one-line and two-line input sections, fill, a merged
  // string section listed with the whole merged size, and a RAM section.
  const map = `Discarded input sections

 .text.unused   0x00000000       0x40 build/obj/firmware/core/core.o

Linker script and memory map

.init           0x80000000       0x10
 *(.text.init.enter)
 .text.init.enter
                0x80000000       0x10 /usr/lib/picolibc/crt0-hosted.o
                0x80000000                _start

.text           0x80000010       0x200
 .text.main     0x80000010       0x20 build/obj/firmware/ports/rv32/main.o
 .text.m3_Call  0x80000030      0x100 build/obj/build/wasm3/pywasm3-0.5.0/wasm3/m3_env.o
 *fill*         0x80000130        0x2 
 .text.core_feed
                0x80000132       0x3e build/obj/firmware/core/core.o
 .rodata.a.str1.4
                0x80000170       0x60 build/obj/build/wasm3/pywasm3-0.5.0/wasm3/m3_core.o
                                  0x8 (size before relaxing)
 .rodata.b.str1.4
                0x80000178        0x8 build/obj/firmware/core/text.o
 .text.memcpy   0x80000180       0x90 /usr/lib/picolibc/libc.a(memcpy.o)

.data           0x80400000       0x20
 .data.x        0x80400000       0x20 build/obj/firmware/core/core.o
`;

  it("adds each owner's input sections of .init and .text only", () => {
    expect(textByOwner(map)).toEqual({
      wasm3: 0x100 + 0x8, // the merged block counts only up to the next piece
      core: 0x3e + 0x8,
      port: 0x20,
      libc: 0x10 + 0x90,
    });
  });

  it('attributes object paths to their owners', () => {
    expect(ownerOf('build/firmware/rv32/obj/build/wasm3/pywasm3-0.5.0/wasm3/m3_exec.o')).toBe('wasm3');
    expect(ownerOf('build/firmware/rv32/obj/firmware/core/runner.o')).toBe('core');
    expect(ownerOf('build/firmware/rv32/obj/firmware/ports/rv32/uart.o')).toBe('port');
    expect(ownerOf('/usr/lib/gcc/riscv64-unknown-elf/12.2.0/rv32imac/ilp32/libgcc.a(mulsf3.o)')).toBe('libc');
  });
});
