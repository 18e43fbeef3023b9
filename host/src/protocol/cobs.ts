// Consistent Overhead Byte Stuffing: the encoding contains no 0x00, so 0x00 can
// delimit frames on the wire.

export function cobsEncode(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length + Math.ceil(data.length / 254) + 1);
  let codeAt = 0;
  let code = 1;
  let o = 1;
  for (let i = 0; i < data.length; i++) {
    const byte = data[i];
    if (byte !== 0) {
      out[o++] = byte;
      code++;
    }
    if (byte === 0 || code === 0xff) {
      out[codeAt] = code;
      code = 1;
      codeAt = o;
      // A full block that ends the input needs no further code byte.
      if (byte === 0 || i < data.length - 1) o++;
    }
  }
  if (codeAt < o) out[codeAt] = code;
  return out.subarray(0, o);
}

/** Returns the decoded bytes, or null when the input is not valid COBS. */
export function cobsDecode(encoded: Uint8Array): Uint8Array | null {
  const out = new Uint8Array(encoded.length);
  let o = 0;
  let i = 0;
  while (i < encoded.length) {
    const code = encoded[i++];
    if (code === 0) return null;
    const end = i + code - 1;
    if (end > encoded.length) return null;
    while (i < end) {
      const b = encoded[i++];
      if (b === 0) return null;
      out[o++] = b;
    }
    if (code !== 0xff && i < encoded.length) out[o++] = 0;
  }
  return out.subarray(0, o);
}
