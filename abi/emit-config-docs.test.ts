// docs/config.md's generated table: one row per JSON key, bounds resolved from the capacities.
import { describe, expect, it } from 'vitest';
import { configFieldsTable } from './emit-config-docs.ts';
import { CONFIG_FIELDS, type ConfigField } from './qiot-abi.ts';

describe('docs/config.md field table', () => {
  it('has one row per JSON key of the description, in its order', () => {
    const keys = configFieldsTable()
      .slice(2)
      .map((row) => row.split('|')[1].trim().replace(/`/g, ''));
    expect(keys).toEqual(CONFIG_FIELDS.flatMap((f) => (f.json ? [f.json.path] : [])));
  });

  it('names device and host-build capacities, enum members and the default', () => {
    const rows = configFieldsTable();
    expect(rows).toContain('| `qubits` | 4 | 1 … 10 (host build 20) | 1 … `max_qubits` |');
    expect(rows.find((r) => r.startsWith('| `cost` |'))).toMatch(/\| `local` \| `local`, `global`, `class-sq`, `class-xent` \|/);
    expect(rows.find((r) => r.startsWith('| `init_range` |'))).toMatch(/\| 2π \| > 0 \|/);
  });

  it('refuses a bound naming no capacity', () => {
    const field: ConfigField = {
      name: 'x',
      type: 'u32',
      doc: '',
      default: 0,
      json: { path: 'x', default: 0, check: { int: [0, 'maxWidgets'] } },
    };
    expect(() => configFieldsTable([field])).toThrow(/'maxWidgets' names no capacity MAX_WIDGETS and no host limit/);
  });
});
