// The hea-zy ansatz, the mean-z readout and re-uploading against the f64 reference model
// (runtime/testing/), exact mode; and the mean-z readout's shot statistics.
import { describe, expect, it } from 'vitest';
import { ANSATZ, COST, GRADIENT, READOUT } from '../host/src/wasm/index.ts';
import { initialisedModule, lcgAngles, twoClassSamples } from './testing/fixtures.ts';
import { finiteDifferenceGradient, meanLoss, parameterCount, type ModelSpec } from './testing/reference-model.ts';

const samples = twoClassSamples(6, 4, 11);

function moduleFor(spec: ModelSpec, theta: number[], extra = {}) {
  const m = initialisedModule(
    {
      qubits: spec.qubits,
      layers: spec.layers,
      ansatz: ANSATZ[spec.ansatz],
      cost: COST[spec.cost],
      nFeatures: 4,
      nTrain: samples.length,
      readout: READOUT[spec.readout ?? 'z0'],
      reupload: spec.reupload ? 1 : 0,
      paramInit: 1,
      ...extra,
    },
    samples,
  );
  m.setParams(theta);
  return m;
}

const specs: ModelSpec[] = [
  { qubits: 4, layers: 3, ansatz: 'hea-zy', cost: 'class-sq', readout: 'mean-z' },
  { qubits: 4, layers: 2, ansatz: 'hea-zy', cost: 'class-xent', readout: 'mean-z', reupload: true },
  { qubits: 4, layers: 2, ansatz: 'hea', cost: 'class-sq', readout: 'z0', reupload: true },
];

describe.each(specs)('$ansatz, $cost, readout $readout, reupload $reupload', (spec) => {
  it('loss and gradient agree with the f64 reference (f32 tolerance)', () => {
    const theta = lcgAngles(parameterCount(spec), 5, 2 * Math.PI);
    const m = moduleFor(spec, theta);
    expect(m.evaluate('train')).toBeCloseTo(meanLoss(spec, theta, samples), 5);
    const reference = finiteDifferenceGradient((t) => meanLoss(spec, t, samples), theta);
    const { gradient } = m.gradient();
    gradient.forEach((g, j) => expect(g, `parameter ${j}`).toBeCloseTo(reference[j], 4));
  });

  it('the adjoint gradient (mean-z projector, re-uploads undone) agrees with the f64 reference', () => {
    const theta = lcgAngles(parameterCount(spec), 6, 2 * Math.PI);
    const reference = finiteDifferenceGradient((t) => meanLoss(spec, t, samples), theta);
    const { gradient } = moduleFor(spec, theta, { gradient: GRADIENT.adjoint }).gradient();
    gradient.forEach((g, j) => expect(g, `parameter ${j}`).toBeCloseTo(reference[j], 4));
  });
});

describe('mean-z readout with shots', () => {
  // With y = ±1 the class-sq loss (2p − 1 − y)² gives p back without ambiguity:
  // p = 1 − √loss/2 for y = +1 and √loss/2 for y = −1.
  const pOf = (loss: number, y: number) => (y > 0 ? 1 - Math.sqrt(loss) / 2 : Math.sqrt(loss) / 2);

  it('p̂ over 400 seeds is unbiased for the exact p (4 standard errors) and a multiple of 1/(s·n)', () => {
    const spec: ModelSpec = { qubits: 4, layers: 2, ansatz: 'hea-zy', cost: 'class-sq', readout: 'mean-z' };
    const theta = lcgAngles(parameterCount(spec), 9, 2 * Math.PI);
    const one = [samples[0]];
    const y = samples[0].label;
    const exactP = pOf(meanLoss(spec, theta, one), y);
    const draws: number[] = [];
    for (let seed = 1; seed <= 400; seed++) {
      const m = initialisedModule(
        {
          qubits: 4,
          layers: 2,
          ansatz: ANSATZ['hea-zy'],
          cost: COST['class-sq'],
          nFeatures: 4,
          nTrain: 1,
          readout: READOUT['mean-z'],
          paramInit: 1,
          shotsPerEval: 50,
          shotBudget: 10 ** 9,
          seed,
        },
        one,
      );
      m.setParams(theta);
      draws.push(pOf(m.step().record.loss, y));
    }
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    const sd = Math.sqrt(draws.reduce((a, b) => a + (b - mean) ** 2, 0) / (draws.length - 1));
    expect(sd).toBeGreaterThan(0);
    expect(Math.abs(mean - exactP)).toBeLessThan((4 * sd) / Math.sqrt(draws.length));
    // 50 shots × 4 qubits = 200 bits per estimate.
    for (const p of draws) expect(Math.abs(p * 200 - Math.round(p * 200))).toBeLessThan(1e-6);
  });
});
