// The config struct of docs/abi.md (layout generated from abi/qiot-abi.ts): plain ABI numbers
// in, bytes out (and back).
// The encoder only refuses values the field's type cannot hold; the module's init()
// checks the semantic ranges and names the field.
import { CONFIG_LAYOUT, CONFIG_SIZE, type AbiConfig } from './abi.generated.ts';

export { CONFIG_LAYOUT, DEFAULT_ABI_CONFIG, type AbiConfig } from './abi.generated.ts';

const U32_MAX = 0xffff_ffff;
const U64_MAX = (1n << 64n) - 1n;

function u64Of(field: string, value: number | bigint): bigint {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new RangeError(`config field ${field}: ${value} is not an integer a u64 can hold exactly`);
  }
  const big = BigInt(value);
  if (big < 0n || big > U64_MAX) throw new RangeError(`config field ${field}: ${value} is outside 0..2^64-1`);
  return big;
}

export function encodeAbiConfig(config: AbiConfig): Uint8Array {
  const bytes = new Uint8Array(CONFIG_SIZE);
  const view = new DataView(bytes.buffer);
  for (const [field, [offset, type]] of Object.entries(CONFIG_LAYOUT)) {
    const value = config[field as keyof AbiConfig];
    if (value === undefined) throw new TypeError(`config field ${field} is missing`);
    if (type === 'u64') {
      view.setBigUint64(offset, u64Of(field, value), true);
    } else if (typeof value === 'bigint') {
      throw new TypeError(`config field ${field}: expected a number, got a bigint`);
    } else if (type === 'u32') {
      if (!Number.isInteger(value) || value < 0 || value > U32_MAX) {
        throw new RangeError(`config field ${field}: ${value} is not an integer in 0..${U32_MAX}`);
      }
      view.setUint32(offset, value, true);
    } else {
      if (typeof value !== 'number') throw new TypeError(`config field ${field}: expected a number`);
      view.setFloat64(offset, value, true);
    }
  }
  return bytes;
}

/** Reads a config struct back; u64 fields come back as bigint. */
export function decodeAbiConfig(bytes: Uint8Array): AbiConfig {
  if (bytes.length !== CONFIG_SIZE) {
    throw new RangeError(`config struct must be ${CONFIG_SIZE} bytes, got ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const config: Record<string, number | bigint> = {};
  for (const [field, [offset, type]] of Object.entries(CONFIG_LAYOUT)) {
    if (type === 'u32') config[field] = view.getUint32(offset, true);
    else if (type === 'u64') config[field] = view.getBigUint64(offset, true);
    else config[field] = view.getFloat64(offset, true);
  }
  return config as unknown as AbiConfig;
}
