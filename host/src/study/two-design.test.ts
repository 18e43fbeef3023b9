// The module's Var[∂C/∂θ₁] over random deep McClean and hea circuits against the exact
// 2-design value, at sizes where 64 layers are deep enough (n = 2, 3), on the device and the
// host build (the deep-plateau experiment runs the host build).
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.ts';
import { openSession } from '../experiments/session.ts';
import type { ModuleBuild } from '../wasm/builds.ts';
import { firstParameterKind, twoDesignVariance } from './two-design.ts';

const CIRCUITS = 1000;
/** The host build instantiates ~20× slower (its memory is sized for 20 qubits): fewer circuits, still 1.5× told apart. */
const HOST_CIRCUITS = 400;

/** Mean of (∂C/∂θ₁)² over seeded circuits (E[∂C] = 0 here, so this is the variance) and its standard error. */
async function gradientVariance(
  qubits: number,
  layers: number,
  cost: 'local' | 'global',
  circuits: number,
  ansatz: 'mcclean' | 'hea' = 'mcclean',
  build: ModuleBuild = 'device',
) {
  const squares: number[] = [];
  for (let seed = 1; seed <= circuits; seed++) {
    const cfg = parseConfig({ qubits, layers, ansatz, cost, seed, init_range: 2 * Math.PI }, 'two-design test');
    squares.push((await openSession(cfg, undefined, build)).gradient()[0] ** 2);
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

describe.each([2, 3])('%i qubits, 32 hea layers on the host build', (qubits) => {
  it.each(['local', 'global'] as const)(
    '%s cost: Var[∂C/∂θ₁] within 4 standard errors of the 2-design value for θ₁ = RY on |0⟩',
    async (cost) => {
      const { variance, standardError } = await gradientVariance(qubits, 32, cost, HOST_CIRCUITS, 'hea', 'host');
      const expected = twoDesignVariance(cost, qubits, firstParameterKind('hea'));
      expect(Math.abs(variance - expected)).toBeLessThan(4 * standardError);
      // …and the McClean value (1.5× smaller) is told apart at n = 2.
      if (qubits === 2) expect(Math.abs(variance - twoDesignVariance(cost, qubits))).toBeGreaterThan(4 * standardError);
    },
    120_000,
  );
});

it('tells a shallow circuit apart: 2 layers at n = 3 (local cost) are > 4 standard errors off the 2-design value', async () => {
  const { variance, standardError } = await gradientVariance(3, 2, 'local', 300);
  expect(Math.abs(variance - twoDesignVariance('local', 3))).toBeGreaterThan(4 * standardError);
}, 120_000);

it('formulas: d = 4 gives 4/180 (local) and 1/60 (global); hea θ₁ gives d/(8(d² − 1)) and 1/(2d(d + 1))', () => {
  expect(twoDesignVariance('local', 2)).toBeCloseTo(4 / 180, 15);
  expect(twoDesignVariance('global', 2)).toBeCloseTo(1 / 60, 15);
  expect(twoDesignVariance('local', 3, 'hea-first')).toBeCloseTo(8 / (8 * 63), 15);
  expect(twoDesignVariance('global', 3, 'hea-first')).toBeCloseTo(1 / (2 * 8 * 9), 15);
});
