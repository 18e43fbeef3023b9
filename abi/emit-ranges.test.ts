// The module's range predicates follow the description: enum counts, JSON checks, capacities by
// the build's name, and no check where only the host bounds a field.
import { describe, expect, it } from 'vitest';
import { rangeCheck, rangesSource } from './emit-ranges.ts';
import type { ConfigField } from './qiot-abi.ts';

const field = (extra: Partial<ConfigField>): ConfigField => ({ name: 'x', type: 'u32', doc: '', default: 0, ...extra });

describe('runtime/ranges.generated.ts', () => {
  it('bounds an enum by its member count and an integer by numbers or the build capacity', () => {
    expect(rangeCheck(field({ enum: 'nlr_mode' }))).toBe('v >= A.NLR_MODE_COUNT');
    expect(rangeCheck(field({ json: { path: 'q', check: { int: [1, 'maxQubits'] } } }))).toBe('v < 1 || v > <u32>MAX_QUBITS');
    expect(rangeCheck(field({ json: { path: 'r', check: { int: [0, 1] } } }))).toBe('v > 1');
  });

  it('leaves a side only the host bounds to the host, and a field without any bound unchecked', () => {
    expect(rangeCheck(field({ json: { path: 'p', check: { int: [2, 'maxSteps'] } } }))).toBe('v < 2');
    expect(rangeCheck(field({ type: 'u64', json: { path: 's', check: { int: [0, 'maxJsonInteger'] } } }))).toBeUndefined();
    expect(rangeCheck(field({}))).toBeUndefined();
  });

  it('uses the shared f64 checks, and refuses bounds the module does not know', () => {
    expect(rangeCheck(field({ type: 'f64', json: { path: 'lr', check: 'positive' } }))).toBe('!positiveFinite(v)');
    expect(rangeCheck(field({ type: 'f64', json: { path: 'p', check: 'probability' } }))).toBe('!(v > 0 && v <= 1)');
    expect(() => rangeCheck(field({ json: { path: 'w', check: { int: [0, 'maxWidgets'] } } }))).toThrow(/knows no bound 'maxWidgets'/);
  });

  it('emits one inline predicate per bounded field, importing only what it uses', () => {
    const source = rangesSource([
      field({ name: 'nlr_mode', enum: 'nlr_mode' }),
      field({ name: 'lr', type: 'f64', json: { path: 'lr', check: 'positive' } }),
    ]);
    expect(source).toContain('@inline export function invalidNlrMode(v: u32): bool {\n  return v >= A.NLR_MODE_COUNT;\n}');
    expect(source).toContain('@inline export function invalidLr(v: f64): bool {\n  return !positiveFinite(v);\n}');
    expect(source).toContain("import { positiveFinite } from './checks';");
    expect(source).not.toContain("from './config'");
  });
});
