// Modules the fault tests upload besides build/qiot.wasm.

export { variantModule } from '../host/testing/tiny-module.ts';

/** A "module" one byte larger than a slot: refused at UPLOAD_BEGIN before any byte is sent. */
export const oversizeModule = (slotSize: number): Uint8Array => new Uint8Array(slotSize + 1).fill(0x42);
