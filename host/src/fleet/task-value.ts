// A pool task's input and result on the wire (the `task` op, docs/fleet.md): JSON data, exact.
// JSON has no NaN, ±∞ or −0 (a diverged run's losses are NaN; JSON.stringify writes them as
// null and −0 as 0), so those numbers travel tagged, {"$f64":"NaN"|"Infinity"|"-Infinity"|"-0"},
// and every other number as JSON (shortest round-trip text: the same f64 back). What a local
// WorkerPool's structured clone would carry beyond JSON data (typed arrays, Maps, undefined in
// an array, an object key "$f64") is refused with its path, so a result is never silently
// changed on the way; object keys whose value is undefined are left out, as JSON.stringify does.
import { PayloadError } from './messages.ts';

const TAG = '$f64';
const SPECIAL = new Map<string, number>([
  ['NaN', NaN],
  ['Infinity', Infinity],
  ['-Infinity', -Infinity],
  ['-0', -0],
]);

function specialName(x: number): string | null {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return Object.is(x, -0) ? '-0' : null;
}

const isPlainObject = (v: object) => {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/** `value` as JSON-safe data (for JSON.stringify); throws PayloadError naming the first part it cannot carry exactly. */
export function encodeTaskValue(value: unknown, path = '$'): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    const name = specialName(value);
    return name === null ? value : { [TAG]: name };
  }
  if (Array.isArray(value))
    return value.map((v, i) => {
      if (v === undefined) throw new PayloadError(`${path}[${i}]: undefined in an array cannot be sent`);
      return encodeTaskValue(v, `${path}[${i}]`);
    });
  if (typeof value === 'object' && isPlainObject(value)) {
    if (Object.hasOwn(value, TAG)) throw new PayloadError(`${path}: the key "${TAG}" is reserved for tagged numbers`);
    // fromEntries defines keys (a "__proto__" key stays a key, as in JSON.parse).
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, encodeTaskValue(v, `${path}.${k}`)]),
    );
  }
  const what = typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value;
  throw new PayloadError(`${path}: a ${what} cannot be sent as a task value (JSON data and numbers only)`);
}

/** The value `encodeTaskValue` encoded (after JSON.parse). */
export function decodeTaskValue(data: unknown, path = '$'): unknown {
  if (data === null || typeof data !== 'object') return data;
  if (Array.isArray(data)) return data.map((v, i) => decodeTaskValue(v, `${path}[${i}]`));
  const entries = Object.entries(data);
  if (Object.hasOwn(data, TAG)) {
    const name = (data as Record<string, unknown>)[TAG];
    const number = typeof name === 'string' ? SPECIAL.get(name) : undefined;
    if (entries.length !== 1 || number === undefined)
      throw new PayloadError(`${path}: a tagged number must be {"${TAG}": one of ${[...SPECIAL.keys()].join(', ')}}`);
    return number;
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, decodeTaskValue(v, `${path}.${k}`)]));
}
