// Paired comparison of two optimizers run on the same seeds.

export interface WinRate {
  /** Fraction of pairs where `candidate` < `baseline` (lower loss wins). */
  rate: number;
  wins: number;
  ties: number;
  losses: number;
  pairs: number;
}

/**
 * Both maps are keyed by seed; only the seeds present in both count, and a
 * seed present in just one of them is an error (an unpaired comparison).
 */
export function pairedWinRate(candidate: ReadonlyMap<number, number>, baseline: ReadonlyMap<number, number>): WinRate {
  const unpaired = [...candidate.keys()].filter((k) => !baseline.has(k)).concat([...baseline.keys()].filter((k) => !candidate.has(k)));
  if (unpaired.length > 0) throw new RangeError(`pairedWinRate: seeds without a partner: ${unpaired.join(', ')}`);
  if (candidate.size === 0) throw new RangeError('pairedWinRate: no pairs');
  let wins = 0;
  let ties = 0;
  for (const [seed, c] of candidate) {
    const b = baseline.get(seed)!;
    if (Number.isNaN(c) || Number.isNaN(b)) throw new RangeError(`pairedWinRate: seed ${seed} has a NaN loss`);
    if (c < b) wins++;
    else if (c === b) ties++;
  }
  const pairs = candidate.size;
  return { rate: wins / pairs, wins, ties, losses: pairs - wins - ties, pairs };
}
