// The module ABI in TypeScript (docs/abi.md): the generated tables of abi/qiot-abi.ts plus name lookups.
import { INIT_ERROR, STATUS, type InitErrorName, type StatusName } from './abi.generated.ts';

export * from './abi.generated.ts';

function nameOf<T extends Record<string, number>>(table: T, code: number): keyof T | undefined {
  return (Object.keys(table) as (keyof T)[]).find((key) => table[key] === code);
}

export function statusName(code: number): StatusName | `UNKNOWN_${number}` {
  return nameOf(STATUS, code) ?? `UNKNOWN_${code}`;
}

export function initErrorName(code: number): InitErrorName | `unknown_${number}` {
  return nameOf(INIT_ERROR, code) ?? `unknown_${code}`;
}

/** Looks up a name in one of the enum tables; throws an Error listing the accepted names. */
export function codeOf<T extends Record<string, number>>(table: T, kind: string, name: string): number {
  if (!Object.hasOwn(table, name)) {
    throw new Error(`unknown ${kind} '${name}': expected one of ${Object.keys(table).join(', ')}`);
  }
  return table[name as keyof T];
}
