// The TypeScript enums and code tables against the tables of docs/abi.md (the contract).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ANSATZ, COST, INIT_ERROR, NLR_MODE, OPTIMIZER, STATUS, codeOf, initErrorName, statusName } from './abi.ts';

const doc = readFileSync(new URL('../../../docs/abi.md', import.meta.url), 'utf8');

function section(heading: string): string {
  const start = doc.indexOf(`## ${heading}`);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = doc.indexOf('\n## ', start + 3);
  return doc.slice(start, end < 0 ? undefined : end);
}

// "0 = `hea`, 1 = `mcclean`" in the config row of a field.
function documentedEnum(field: string): Record<string, number> {
  const row = doc.split('\n').find((line) => line.includes(`| \`${field}\` |`) && line.includes('0 = '));
  expect(row, `config row of ${field}`).toBeDefined();
  return Object.fromEntries([...row!.matchAll(/(\d+) = `([^`]+)`/g)].map((m) => [m[2], Number(m[1])]));
}

describe('ABI enums match docs/abi.md', () => {
  it.each([
    ['ansatz', ANSATZ], ['cost', COST], ['optimizer', OPTIMIZER], ['nlr_mode', NLR_MODE],
  ] as const)('%s', (field, table) => {
    expect({ ...table }).toEqual(documentedEnum(field));
  });

  it('status codes', () => {
    const rows = [...section('Status codes').matchAll(/^\| (\d+) \| `(\w+)`/gm)].map((m) => [m[2], Number(m[1])]);
    expect({ ...STATUS }).toEqual(Object.fromEntries(rows));
  });

  it('init error codes (two columns per row)', () => {
    const rows = [...section('Error codes').matchAll(/\| (\d+) \| `(\w+)`/g)].map((m) => [m[2], Number(m[1])]);
    expect(rows.length).toBe(27);
    expect(Object.fromEntries(Object.entries(INIT_ERROR).filter(([name]) => name !== 'ok'))).toEqual(Object.fromEntries(rows));
  });
});

describe('code lookups', () => {
  it('map names to codes and back', () => {
    expect(codeOf(COST, 'cost', 'class-xent')).toBe(3);
    expect(statusName(2)).toBe('BUDGET_EXHAUSTED');
    expect(initErrorName(22)).toBe('n_features');
    expect(initErrorName(99)).toBe('unknown_99');
  });

  it('refuse an unknown name, listing the accepted ones', () => {
    expect(() => codeOf(OPTIMIZER, 'optimizer', 'rmsprop')).toThrow("unknown optimizer 'rmsprop': expected one of sgd, momentum, adam, spsa, nlr");
    expect(() => codeOf(OPTIMIZER, 'optimizer', 'toString')).toThrow(/unknown optimizer 'toString'/);
  });
});
