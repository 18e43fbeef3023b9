// Modules the fault tests upload besides build/qiot.wasm.

export { variantModule } from '../host/testing/tiny-module.ts';

/** A "module" one byte larger than a slot: refused at UPLOAD_BEGIN before any byte is sent. */
export const oversizeModule = (slotSize: number): Uint8Array => new Uint8Array(slotSize + 1).fill(0x42);

/** The shape of issue 15's wasm3 0.5.0 compiler crash, built here byte by byte: after a `br`, a
 *  `loop` whose block type takes (i32, i32, i32, f64) and drops them. Valid WebAssembly, yet
 *  unpatched wasm3 marks slot 65 535 of a 256-byte array while compiling it (a heap write out
 *  of bounds). The firmware's module check refuses multi-value block types before wasm3 sees
 *  the module (firmware/core/wasm_code.c; the same module in firmware/tests/test_wasm_check.c). */
export function wasm3CrashModule(): Uint8Array {
  const section = (id: number, body: number[]) => [id, body.length, ...body];
  const types = [2, 0x60, 0, 0, 0x60, 4, 0x7f, 0x7f, 0x7f, 0x7c, 0]; // () → (), (i32 i32 i32 f64) → ()
  const code = [0x00, 0x0c, 0x00, 0x03, 0x01, 0x1a, 0x1a, 0x1a, 0x1a, 0x0b, 0x0b]; // no locals; br 0; loop type 1 …
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, types),
    ...section(3, [1, 0]),
    ...section(5, [1, 1, 1, 1]),
    ...section(10, [1, code.length, ...code]),
  ]);
}
