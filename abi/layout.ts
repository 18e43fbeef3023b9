// Derived facts of the ABI description: struct offsets, names in each language's style, enum rules.
import {
  CAPACITIES,
  CONFIG_FIELDS,
  ENUMS,
  INIT_ERRORS,
  TELEMETRY_FIELDS,
  type EnumName,
  type RecordField,
  type ScalarType,
} from './qiot-abi.ts';

export const SCALAR_SIZE: Record<ScalarType, number> = { u32: 4, u64: 8, f64: 8 };

export interface PlacedField extends RecordField {
  offset: number;
}

/** Offsets of fields laid out in order, each aligned to its own size; throws when they overrun `size`. */
export function placeFields(fields: readonly RecordField[], size: number, what: string): PlacedField[] {
  let offset = 0;
  const placed = fields.map((field) => {
    const width = SCALAR_SIZE[field.type];
    offset = Math.ceil(offset / width) * width;
    const at = { ...field, offset };
    offset += width;
    return at;
  });
  if (offset > size) throw new Error(`${what}: the fields need ${offset} bytes, more than its size of ${size}; raise the size`);
  const names = new Set<string>();
  for (const field of fields) {
    if (!/^[a-z][a-z0-9_]*$/.test(field.name)) throw new Error(`${what}: field name '${field.name}' must be snake_case`);
    if (names.has(field.name)) throw new Error(`${what}: field '${field.name}' appears twice`);
    names.add(field.name);
  }
  return placed;
}

export const CONFIG_SIZE = CAPACITIES.CONFIG_SIZE.value;
export const TELEMETRY_SIZE = CAPACITIES.TELEMETRY_SIZE.value;
export const configLayout = (): PlacedField[] => placeFields(CONFIG_FIELDS, CONFIG_SIZE, 'config struct');
export const telemetryLayout = (): PlacedField[] => placeFields(TELEMETRY_FIELDS, TELEMETRY_SIZE, 'telemetry record');

/** Offsets of the unused u32 words after the last config field (written as 0, ignored). */
export function reservedWords(): number[] {
  const layout = configLayout();
  const last = layout[layout.length - 1];
  const end = last.offset + SCALAR_SIZE[last.type];
  const words: number[] = [];
  for (let at = Math.ceil(end / 4) * 4; at < CONFIG_SIZE; at += 4) words.push(at);
  return words;
}

/** `nlr_mode` → `nlrMode`. */
export const camel = (snake: string): string => snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
/** `rxry-cnot` → `RXRY_CNOT`, `class-sq` → `CLASS_SQ`. */
export const upper = (name: string): string => name.replace(/[-\s]/g, '_').toUpperCase();

export interface EnumEntry {
  name: string;
  doc: string;
  code: number;
  /** Rule properties of the member (e.g. classification, paramsPerQubitLayer, forcesGradient). */
  [property: string]: unknown;
}

export const enumEntries = (e: EnumName): EnumEntry[] =>
  ENUMS[e].members.map((member, code) => ({ ...member, name: member.name, doc: member.doc, code }));

/** Member names of `e` whose `property` equals `value` (e.g. costs with classification: true). */
export function membersWhere(e: EnumName, property: string, value: unknown): string[] {
  return enumEntries(e)
    .filter((m) => m[property] === value)
    .map((m) => m.name);
}

/** Per-member value of a numeric property (e.g. ansatz paramsPerQubitLayer). */
export function memberValues(e: EnumName, property: string): { name: string; code: number; value: number }[] {
  return enumEntries(e).map((m) => {
    const value = m[property];
    if (typeof value !== 'number') throw new Error(`${e} '${m.name}' has no numeric ${property}`);
    return { name: m.name, code: m.code, value };
  });
}

/** Optimizers that force a gradient estimator: [optimizer, gradient]. */
export function forcedGradients(): [optimizer: string, gradient: string][] {
  const gradients = ENUMS.gradient.members.map((m) => m.name as string);
  return enumEntries('optimizer').flatMap((m) => {
    const forced = m.forcesGradient;
    if (forced === undefined) return [];
    if (typeof forced !== 'string' || !gradients.includes(forced)) {
      throw new Error(`optimizer '${m.name}' forces unknown gradient '${String(forced)}'`);
    }
    return [[m.name, forced] as [string, string]];
  });
}

/** Checks that hold across tables: unique names, an error code for every config field, ok = 0. */
export function checkDescription(): void {
  const errorNames = INIT_ERRORS.map((e) => e.name);
  if (errorNames[0] !== 'ok') throw new Error("init error code 0 must be 'ok'");
  if (new Set(errorNames).size !== errorNames.length) throw new Error('init error names must be unique');
  for (const field of CONFIG_FIELDS) {
    const error = field.error === undefined ? field.name : field.error;
    if (error !== null && !errorNames.includes(error)) {
      throw new Error(`config field '${field.name}': no init error '${error}' (add one, or set its error)`);
    }
  }
  for (const [name, e] of Object.entries(ENUMS)) {
    const names = e.members.map((m) => m.name as string);
    if (new Set(names.map(upper)).size !== names.length) throw new Error(`enum ${name}: member names collide`);
  }
}
