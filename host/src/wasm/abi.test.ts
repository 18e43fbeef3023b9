// Name ↔ code lookups over the generated ABI tables (the tables themselves: abi/generate.test.ts).
import { describe, expect, it } from 'vitest';
import { COST, OPTIMIZER, codeOf, initErrorName, statusName } from './abi.ts';

describe('code lookups', () => {
  it('map names to codes and back', () => {
    expect(codeOf(COST, 'cost', 'class-xent')).toBe(3);
    expect(statusName(2)).toBe('BUDGET_EXHAUSTED');
    expect(initErrorName(22)).toBe('n_features');
    expect(initErrorName(99)).toBe('unknown_99');
  });

  it('refuse an unknown name, listing the accepted ones', () => {
    expect(() => codeOf(OPTIMIZER, 'optimizer', 'rmsprop')).toThrow(
      "unknown optimizer 'rmsprop': expected one of sgd, momentum, adam, spsa, nlr",
    );
    expect(() => codeOf(OPTIMIZER, 'optimizer', 'toString')).toThrow(/unknown optimizer 'toString'/);
  });
});
