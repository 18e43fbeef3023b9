// Parsing of the `qiot experiment` option values; errors name the option.
import { InvalidArgumentError } from 'commander';

export function parseIntOption(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected an integer in ${min}..${max}, got '${value}'`);
    }
    return n;
  };
}

/** `4`, `2..10` or `2,4,6` → sorted, distinct integers in [min, max]. */
export function parseQubitList(min: number, max: number) {
  return (value: string): number[] => {
    const range = /^(\d+)\.\.(\d+)$/.exec(value);
    let list: number[];
    if (range) {
      const [lo, hi] = [Number(range[1]), Number(range[2])];
      if (lo > hi) throw new InvalidArgumentError(`range '${value}' is empty (${lo} > ${hi})`);
      // Checked before expanding, so '2..4000000000' is refused instead of allocating its list.
      const outside = [span(lo, Math.min(hi, min - 1)), span(Math.max(lo, max + 1), hi)].filter((s) => s !== '');
      if (outside.length > 0) throw new InvalidArgumentError(`qubit counts must be in ${min}..${max}, got ${outside.join(', ')}`);
      list = Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
    } else if (/^\d+(,\d+)*$/.test(value)) {
      list = value.split(',').map(Number);
    } else {
      throw new InvalidArgumentError(`expected N, A..B or A,B,C, got '${value}'`);
    }
    const bad = list.filter((n) => n < min || n > max);
    if (bad.length > 0) throw new InvalidArgumentError(`qubit counts must be in ${min}..${max}, got ${bad.join(', ')}`);
    return [...new Set(list)].sort((a, b) => a - b);
  };
}

/** The integers a..b as text: '' when empty, '3', '3, 4', or '3..9'. */
function span(a: number, b: number): string {
  if (a > b) return '';
  if (a === b) return `${a}`;
  return b === a + 1 ? `${a}, ${b}` : `${a}..${b}`;
}

export function parseChoice<T extends string>(choices: readonly T[]) {
  return (value: string): T => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`expected one of ${choices.join(', ')}, got '${value}'`);
    }
    return value as T;
  };
}

/** `a,b,c` → the distinct choices in the order given; names every unknown value. */
export function parseChoiceList<T extends string>(choices: readonly T[]) {
  return (value: string): T[] => {
    const items = value.split(',').map((v) => v.trim());
    const bad = items.filter((v) => !(choices as readonly string[]).includes(v));
    if (bad.length > 0)
      throw new InvalidArgumentError(`expected a comma-separated list of ${choices.join(', ')}, got '${bad.join("', '")}'`);
    return [...new Set(items as T[])];
  };
}
