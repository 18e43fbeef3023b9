import { describe, expect, it } from 'vitest';
import { decodeAbiConfig } from '../host/src/wasm/config-codec.ts';
import { OPTIMIZER, GRADIENT, ANSATZ, COST } from '../host/src/wasm/abi.ts';
import { benchConfigBytes } from './qiot-config.ts';

describe('bench config structs', () => {
  it('exact parameter shift: SGD on hea/local, no shot budget', () => {
    const c = decodeAbiConfig(benchConfigBytes({ qubits: 6, layers: 2, shots: 0, gradient: 'parameter-shift', paramInit: 1, seed: 9 }));
    expect(c).toMatchObject({
      qubits: 6,
      layers: 2,
      ansatz: ANSATZ.hea,
      cost: COST.local,
      optimizer: OPTIMIZER.sgd,
      gradient: GRADIENT['parameter-shift'],
      shotsPerEval: 0,
      shotBudget: 0n,
      paramInit: 1,
      seed: 9n,
    });
  });
  it('sampled SPSA: the SPSA optimizer and a budget no bench can exhaust', () => {
    const c = decodeAbiConfig(benchConfigBytes({ qubits: 4, layers: 8, shots: 1000, gradient: 'spsa', paramInit: 0, seed: 1 }));
    expect(c.optimizer).toBe(OPTIMIZER.spsa);
    expect(c.gradient).toBe(GRADIENT.spsa);
    expect(c.shotsPerEval).toBe(1000);
    expect(BigInt(c.shotBudget)).toBeGreaterThan(10n ** 15n);
  });
});
