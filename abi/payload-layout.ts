// Payload layouts of abi/qiot-protocol.ts: parsing, checks, derived payload bounds, docs text.
// A layout is a list of fields, each "<type> <name>[<length>]: doc", little-endian, in order;
// a nested list is an optional trailing part (all of it or nothing, decided by whether bytes are
// left), and may itself end in one. Types: u8 u16 u32 u64 i32 f32 f64 (scalars), str8 (u8 length
// ‖ UTF-8), text (UTF-8 to the end). Lengths: `u8 x[32]` or `u8 x[CONFIG_SIZE]` a fixed-size byte
// string (a size named in SIZES); `f64 x[count]` an array whose element count is the earlier field
// `count` of the same part (written from the array's length, so it is not a field of its own in
// TypeScript); `u8 x[n][32]` n byte strings of 32; `f64 x[]` elements to the end of the payload.
import { CAPACITIES } from './qiot-abi.ts';

export type Layout = readonly (string | Layout)[];

export const SCALAR_SIZES = { u8: 1, u16: 2, u32: 4, u64: 8, i32: 4, f32: 4, f64: 8 } as const;
export type Scalar = keyof typeof SCALAR_SIZES;

/** Sizes a layout may name: their value and their name in C. */
export const SIZES: Record<string, { value: number; c: string }> = {
  CONFIG_SIZE: { value: CAPACITIES.CONFIG_SIZE.value, c: 'QIOT_CONFIG_STRUCT_SIZE' },
  TELEMETRY_SIZE: { value: CAPACITIES.TELEMETRY_SIZE.value, c: 'QIOT_TELEMETRY_RECORD_SIZE' },
};

export type Field =
  | { kind: 'scalar'; name: string; type: Scalar; doc?: string; countOf?: string }
  | { kind: 'bytes'; name: string; size: number; sizeName?: string; doc?: string }
  | { kind: 'str8' | 'text'; name: string; doc?: string }
  | { kind: 'array'; name: string; type: Scalar; count: string; doc?: string }
  | { kind: 'strings'; name: string; count: string; size: number; doc?: string }
  | { kind: 'rest'; name: string; type: Scalar; doc?: string };

/** One part of a layout: its fields, then maybe an optional trailing part. */
export interface Part {
  fields: Field[];
  optional?: Part;
}

const FIELD = /^(u8|u16|u32|u64|i32|f32|f64|str8|text) ([a-z][a-z0-9_]*)(?:\[([A-Za-z0-9_]*)\](?:\[(\d+)\])?)?(?:: (.+))?$/;

function parseField(spec: string, where: string, earlier: Field[]): Field {
  const m = FIELD.exec(spec);
  if (!m) throw new Error(`${where}: field '${spec}' is not "<type> <name>[<length>]: doc"`);
  const [, type, name, length, size, doc] = m;
  const base = { name, ...(doc ? { doc } : {}) };
  if (type === 'str8' || type === 'text') {
    if (length !== undefined) throw new Error(`${where}: ${type} '${name}' takes no length`);
    return { kind: type, ...base };
  }
  const scalar = type as Scalar;
  if (length === undefined) return { kind: 'scalar', type: scalar, ...base };
  if (length === '') return { kind: 'rest', type: scalar, ...base };
  const counter = earlier.find((f) => f.name === length);
  if (counter) {
    if (counter.kind !== 'scalar' || counter.type === 'u64' || counter.type.startsWith('f')) {
      throw new Error(`${where}: '${name}' counts with '${length}', which is not an integer field`);
    }
    if (counter.countOf) throw new Error(`${where}: '${length}' already counts '${counter.countOf}'`);
    counter.countOf = name;
    if (size !== undefined) {
      if (scalar !== 'u8') throw new Error(`${where}: '${name}': only u8 strings come in counted lists`);
      return { kind: 'strings', count: length, size: Number(size), ...base };
    }
    return { kind: 'array', type: scalar, count: length, ...base };
  }
  if (scalar !== 'u8' || size !== undefined) throw new Error(`${where}: '${name}[${length}]': no earlier field '${length}' counts it`);
  if (/^\d+$/.test(length)) return { kind: 'bytes', size: Number(length), ...base };
  const named = SIZES[length];
  if (!named) throw new Error(`${where}: '${name}[${length}]': '${length}' is neither an earlier field nor a size of SIZES`);
  return { kind: 'bytes', size: named.value, sizeName: length, ...base };
}

/** Parses and checks a layout: unique names, a variable-length field (text, x[]) only last. */
export function parseLayout(layout: Layout, where: string): Part {
  const names = new Set<string>();
  const parse = (items: Layout): Part => {
    const part: Part = { fields: [] };
    items.forEach((item, i) => {
      if (typeof item !== 'string') {
        if (i !== items.length - 1) throw new Error(`${where}: an optional part must come last`);
        if (item.length === 0) throw new Error(`${where}: an optional part is empty`);
        part.optional = parse(item);
        return;
      }
      const field = parseField(item, where, part.fields);
      if (names.has(field.name)) throw new Error(`${where}: field '${field.name}' appears twice`);
      names.add(field.name);
      part.fields.push(field);
    });
    return part;
  };
  const root = parse(layout);
  const toEnd = (f: Field) => f.kind === 'text' || f.kind === 'rest';
  for (let part: Part | undefined = root; part; part = part.optional) {
    const at = part.fields.findIndex(toEnd);
    if (at >= 0 && (at !== part.fields.length - 1 || part.optional)) {
      throw new Error(`${where}: '${part.fields[at].name}' runs to the end of the payload, so it must come last`);
    }
  }
  return root;
}

/** A bound as a number and the names of sizes it adds (their C names). */
interface Bound {
  bytes: number;
  names: string[];
}

function fieldBounds(f: Field): { min: Bound; variable: boolean } {
  const fixed = (bytes: number, names: string[] = []) => ({ min: { bytes, names }, variable: false });
  switch (f.kind) {
    case 'scalar':
      return fixed(SCALAR_SIZES[f.type]);
    case 'bytes':
      return f.sizeName ? fixed(0, [SIZES[f.sizeName].c]) : fixed(f.size);
    case 'str8':
      return { min: { bytes: 1, names: [] }, variable: true };
    default:
      return { min: { bytes: 0, names: [] }, variable: true };
  }
}

const cBound = ({ bytes, names }: Bound): number | string =>
  names.length === 0 ? bytes : [...(bytes > 0 ? [String(bytes)] : []), ...names].join(' + ');

/** The payload bounds that follow from a layout: min without its optional parts, max with all of
 *  them, or QIOT_MAX_PAYLOAD when a field's length varies. */
export function derivedBounds(part: Part): { min: number | string; max: number | string } {
  const min: Bound = { bytes: 0, names: [] };
  const all: Bound = { bytes: 0, names: [] };
  let variable = false;
  for (let p: Part | undefined = part, first = true; p; p = p.optional, first = false) {
    for (const f of p.fields) {
      const b = fieldBounds(f);
      variable ||= b.variable;
      if (first) {
        min.bytes += b.min.bytes;
        min.names.push(...b.min.names);
      }
      all.bytes += b.min.bytes;
      all.names.push(...b.min.names);
    }
  }
  return { min: cBound(min), max: variable ? 'QIOT_MAX_PAYLOAD' : cBound(all) };
}

const fieldText = (f: Field): string => {
  const doc = f.doc ? ` (${f.doc})` : '';
  switch (f.kind) {
    case 'scalar':
      return `${f.type} ${f.name}${doc}`;
    case 'bytes':
      return `u8 ${f.name}[${f.sizeName ?? f.size}]${doc}`;
    case 'str8':
      return `u8 length ‖ ${f.name}${doc}`;
    case 'text':
      return `${f.name}${doc}`;
    case 'array':
      return `${f.type} ${f.name}[${f.count}]${doc}`;
    case 'strings':
      return `${f.count} × u8 ${f.name}[${f.size}]${doc}`;
    case 'rest':
      return `${f.type} ${f.name}[…]${doc}`;
  }
};

/** The layout as docs/protocol.md writes it: `u32 steps ‖ [u8 mode …]`, `—` when empty. */
export function layoutText(part: Part): string {
  const fields = part.fields.map(fieldText).join(' ‖ ');
  const optional = part.optional ? `[${fields ? '‖ ' : ''}${layoutText(part.optional)}]` : '';
  const text = [fields, optional].filter(Boolean).join(' ');
  return text || '—';
}

/** snake_case → camelCase: the field's property in TypeScript. */
export const camel = (name: string): string => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
/** UPPER_SNAKE → PascalCase: the message's name in TypeScript. */
export const pascal = (symbol: string): string =>
  symbol
    .toLowerCase()
    .split('_')
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
