// The 160-byte config struct of docs/abi.md: plain ABI numbers in, bytes out (and back).
// The encoder only refuses values the field's type cannot hold; the module's init()
// checks the semantic ranges and names the field.
import { ABI_VERSION, CONFIG_SIZE } from './abi.ts';

/** One field per struct field of docs/abi.md (camelCase), holding the raw ABI number. */
export interface AbiConfig {
  abiVersion: number;
  qubits: number;
  layers: number;
  ansatz: number;
  cost: number;
  optimizer: number;
  gradient: number;
  nlrMode: number;
  nlrPeriod: number;
  nlrPatience: number;
  batch: number;
  shotsPerEval: number;
  nTrain: number;
  nTest: number;
  shotBudget: number | bigint;
  seed: number | bigint;
  lr: number;
  momentum: number;
  beta1: number;
  beta2: number;
  eps: number;
  nlrRatio: number;
  nlrProb: number;
  spsaC: number;
  initRange: number;
  nFeatures: number;
  paramInit: number;
}

type FieldType = 'u32' | 'u64' | 'f64';

/** Byte offset and type of every field (the reserved words at 152 and 156 are written as 0). */
export const CONFIG_LAYOUT: Readonly<Record<keyof AbiConfig, readonly [number, FieldType]>> = {
  abiVersion: [0, 'u32'],
  qubits: [4, 'u32'],
  layers: [8, 'u32'],
  ansatz: [12, 'u32'],
  cost: [16, 'u32'],
  optimizer: [20, 'u32'],
  gradient: [24, 'u32'],
  nlrMode: [28, 'u32'],
  nlrPeriod: [32, 'u32'],
  nlrPatience: [36, 'u32'],
  batch: [40, 'u32'],
  shotsPerEval: [44, 'u32'],
  nTrain: [48, 'u32'],
  nTest: [52, 'u32'],
  shotBudget: [56, 'u64'],
  seed: [64, 'u64'],
  lr: [72, 'f64'],
  momentum: [80, 'f64'],
  beta1: [88, 'f64'],
  beta2: [96, 'f64'],
  eps: [104, 'f64'],
  nlrRatio: [112, 'f64'],
  nlrProb: [120, 'f64'],
  spsaC: [128, 'f64'],
  initRange: [136, 'f64'],
  nFeatures: [144, 'u32'],
  paramInit: [148, 'u32'],
};

/** A valid baseline: 2 qubits, 1 HEA layer, local cost, SGD, exact expectations. */
export const DEFAULT_ABI_CONFIG: Readonly<AbiConfig> = {
  abiVersion: ABI_VERSION,
  qubits: 2,
  layers: 1,
  ansatz: 0,
  cost: 0,
  optimizer: 0,
  gradient: 0,
  nlrMode: 0,
  nlrPeriod: 5,
  nlrPatience: 3,
  batch: 0,
  shotsPerEval: 0,
  nTrain: 0,
  nTest: 0,
  shotBudget: 0,
  seed: 1,
  lr: 0.1,
  momentum: 0.9,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
  nlrRatio: 0.5,
  nlrProb: 0.1,
  spsaC: 0.1,
  initRange: 2 * Math.PI,
  nFeatures: 0,
  paramInit: 0,
};

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
