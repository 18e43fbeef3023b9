import { describe, expect, it } from 'vitest';
import { parseChoice, parseChoiceList, parseIntOption, parseQubitList } from './experiment-options.ts';

describe('experiment option parsers', () => {
  it('expands qubit ranges and lists', () => {
    expect(parseQubitList(1, 10)('2..5')).toEqual([2, 3, 4, 5]);
    expect(parseQubitList(1, 10)('6,2,2')).toEqual([2, 6]);
    expect(parseQubitList(1, 10)('7')).toEqual([7]);
  });
  it('keeps the order of a choice list and drops repeats', () => {
    expect(parseChoiceList(['gated', 'periodic', 'patience'])('patience,gated,patience')).toEqual(['patience', 'gated']);
  });
  it('names the bad value', () => {
    expect(() => parseQubitList(1, 10)('2..12')).toThrow(/must be in 1\.\.10, got 11, 12$/);
    expect(() => parseQubitList(1, 10)('0..4000000000')).toThrow(/must be in 1\.\.10, got 0, 11\.\.4000000000$/);
    expect(() => parseQubitList(1, 10)('3,11,12')).toThrow(/must be in 1\.\.10, got 11, 12$/);
    expect(() => parseQubitList(1, 10)('5..2')).toThrow(/is empty/);
    expect(() => parseQubitList(1, 10)('two')).toThrow(/got 'two'/);
    expect(() => parseIntOption(2, 100)('1.5')).toThrow(/integer in 2..100, got '1.5'/);
    expect(() => parseChoice(['local', 'global'])('both')).toThrow(/one of local, global, got 'both'/);
    expect(() => parseChoiceList(['gated', 'periodic'])('gated,cyclic,')).toThrow(/list of gated, periodic, got 'cyclic', ''/);
  });
});
