// The module's Var[∂C/∂θ₁] over random deep McClean circuits against the exact 2-design
// value, at sizes where 64 layers are deep enough (n = 2, 3).
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.ts';
import { openSession } from '../experiments/session.ts';
import { twoDesignVariance } from './two-design.ts';

const CIRCUITS = 1000;

/** Mean of (∂C/∂θ₁)² over seeded circuits (E[∂C] = 0 here, so this is the variance) and its standard error. */
async function gradientVariance(qubits: number, layers: number, cost: 'local' | 'global', circuits: number) {
  const squares: number[] = [];
  for (let seed = 1; seed <= circuits; seed++) {
    const cfg = parseConfig({ qubits, layers, ansatz: 'mcclean', cost, seed }, 'two-design test');
    squares.push((await openSession(cfg)).gradient()[0] ** 2);
  }
  const variance = squares.reduce((a, b) => a + b, 0) / circuits;
  const sd = Math.sqrt(squares.reduce((a, b) => a + (b - variance) ** 2, 0) / (circuits - 1));
  return { variance, standardError: sd / Math.sqrt(circuits) };
}

describe.each([2, 3])('%i qubits, 64 McClean layers', (qubits) => {
  it.each(['local', 'global'] as const)(
    '%s cost: Var[∂C/∂θ₁] within 4 standard errors of the 2-design value',
    async (cost) => {
      const { variance, standardError } = await gradientVariance(qubits, 64, cost, CIRCUITS);
      expect(Math.abs(variance - twoDesignVariance(cost, qubits))).toBeLessThan(4 * standardError);
    },
    120_000,
  );
});

it('tells a shallow circuit apart: 2 layers at n = 3 (local cost) are > 4 standard errors off the 2-design value', async () => {
  const { variance, standardError } = await gradientVariance(3, 2, 'local', 300);
  expect(Math.abs(variance - twoDesignVariance('local', 3))).toBeGreaterThan(4 * standardError);
}, 120_000);

it('formulas: d = 4 gives 4/180 (local) and 1/60 (global)', () => {
  expect(twoDesignVariance('local', 2)).toBeCloseTo(4 / 180, 15);
  expect(twoDesignVariance('global', 2)).toBeCloseTo(1 / 60, 15);
});
