// Modules the fault tests upload besides build/qiot.wasm.

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
};

/** `base` with a custom section (id 0) appended: a valid module that runs exactly like `base`
 *  (engines ignore custom sections) but has another sha256 and size. */
export function variantModule(base: Uint8Array, tag: string, paddingBytes: number): Uint8Array<ArrayBuffer> {
  const name = Buffer.from(`qiot-hil-${tag}`, 'ascii');
  const content = [...uleb(name.length), ...name, ...new Uint8Array(paddingBytes).fill(0x5a)];
  return Uint8Array.from([...base, 0x00, ...uleb(content.length), ...content]);
}

/** A "module" one byte larger than a slot: refused at UPLOAD_BEGIN before any byte is sent. */
export const oversizeModule = (slotSize: number): Uint8Array => new Uint8Array(slotSize + 1).fill(0x42);
