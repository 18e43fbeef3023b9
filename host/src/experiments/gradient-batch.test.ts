import { describe, expect, it } from 'vitest';
import { firstGradients, gradientBatches, inThisThread, plateauCircuit } from './gradient-batch.ts';
import { openSession } from './session.ts';

describe('gradient batches', () => {
  const point = { ansatz: 'hea', cost: 'local', qubits: 3, layers: 4, build: 'device' } as const;

  it("cover seeds seedBase … seedBase + samples − 1 in order, in at most 8 batches, each keyed as deep-plateau's finished runs were", () => {
    const batches = gradientBatches(point, 13, 5);
    expect(batches.map((b) => [b.from, b.to])).toEqual([
      [5, 7],
      [7, 9],
      [9, 11],
      [11, 13],
      [13, 15],
      [15, 17],
      [17, 18],
    ]);
    expect(gradientBatches(point, 400, 1)).toHaveLength(8);
    expect(JSON.stringify(batches[0])).toBe(
      '{"kind":"gradients","ansatz":"hea","cost":"local","qubits":3,"layers":4,"from":5,"to":7,"build":"device"}',
    );
  });

  it('a batch is ∂C/∂θ₁ of a fresh circuit per seed', async () => {
    const [b] = gradientBatches(point, 16, 1);
    const g = await firstGradients(b);
    expect(g).toHaveLength(2);
    for (const [i, seed] of [b.from, b.from + 1].entries()) {
      expect(g[i]).toBe((await openSession(plateauCircuit('hea', 'local', 3, 4, seed, 'device'))).gradient()[0]);
    }
    expect(g[0]).not.toBe(g[1]);
  });

  it('in this thread: batches run in the order asked; after a failure the waiting ones are refused', async () => {
    const run = inThisThread();
    const [good] = gradientBatches(point, 16, 1);
    const bad = { ...good, qubits: 99 };
    const results = await Promise.allSettled([run(good), run(bad), run(good)]);
    expect(results[0]).toEqual({ status: 'fulfilled', value: await firstGradients(good) });
    expect(results[1]).toMatchObject({ status: 'rejected', reason: { message: expect.stringMatching(/qubits/) } });
    expect(results[2]).toMatchObject({ status: 'rejected', reason: { message: 'not run: an earlier gradient batch failed' } });
  });
});
