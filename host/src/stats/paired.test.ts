import { describe, expect, it } from 'vitest';
import { pairedWinRate } from './paired.ts';

describe('pairedWinRate', () => {
  it('counts wins, ties and losses per seed on hand-made data', () => {
    const nlr = new Map([
      [1, 0.2],
      [2, 0.5],
      [3, 0.3],
      [4, 0.9],
    ]);
    const sgd = new Map([
      [4, 1.0],
      [3, 0.3],
      [2, 0.4],
      [1, 0.25],
    ]);
    // seed 1: 0.2 < 0.25 win; seed 2: 0.5 > 0.4 loss; seed 3: tie; seed 4: 0.9 < 1.0 win.
    expect(pairedWinRate(nlr, sgd)).toEqual({ rate: 0.5, wins: 2, ties: 1, losses: 1, pairs: 4 });
  });

  it('refuses unpaired seeds and NaN losses', () => {
    expect(() =>
      pairedWinRate(
        new Map([
          [1, 0],
          [2, 0],
        ]),
        new Map([
          [1, 0],
          [3, 0],
        ]),
      ),
    ).toThrow(/seeds without a partner: 2, 3/);
    expect(() => pairedWinRate(new Map([[1, NaN]]), new Map([[1, 0]]))).toThrow(/seed 1 has a NaN loss/);
  });
});
