// The study's model lets every parameter and every feature matter; the earlier study's
// model (hea, CZ ladder, ⟨Z₀⟩, 4 qubits, 2 layers) does not — the check that this test can fail.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { abiConfigOf } from '../config/encode.ts';
import { parseConfig } from '../config/load.ts';
import type { RunConfigInput } from '../config/schema.ts';
import { loadDataset } from '../data/load.ts';
import { packDataset } from '../data/pack.ts';
import type { Dataset } from '../data/types.ts';
import { openSession } from '../experiments/session.ts';
import { DEFAULT_MODULE_PATH, QiotModule } from '../wasm/module.ts';
import { OLD_MODEL, STUDY_DATASETS, STUDY_MODEL, STUDY_TASK_NAMES } from './design.ts';
import { DEAD_GRADIENT } from './methods.ts';

/** Exact session of a model on a task's data (whole training set, no shots) at the seed's uniform θ₀. */
function exactConfig(model: RunConfigInput, task: (typeof STUDY_TASK_NAMES)[number], seed: number) {
  return parseConfig(
    { ...model, cost: 'class-sq', dataset: STUDY_DATASETS[task], batch: 0, shots: { per_eval: 0, budget: 0 }, seed },
    'models test',
  );
}

/** max over 8 random θ₀ of |∂L/∂θⱼ| for every j. */
async function largestGradients(model: RunConfigInput, task: (typeof STUDY_TASK_NAMES)[number]): Promise<number[]> {
  const largest: number[] = [];
  for (let seed = 1; seed <= 8; seed++) {
    const g = (await openSession(exactConfig(model, task, seed))).gradient();
    g.forEach((v, j) => {
      largest[j] = Math.max(largest[j] ?? 0, Math.abs(v));
    });
  }
  return largest;
}

/** For each feature i: |Δ output| of one training sample when feature i moves by 0.7 rad (same θ). */
async function featureReach(model: RunConfigInput, task: (typeof STUDY_TASK_NAMES)[number]): Promise<number[]> {
  const cfg = exactConfig(model, task, 3);
  const theta = Array.from((await openSession(cfg)).params());
  const dataset = loadDataset(cfg)!;
  const moduleBytes = new Uint8Array(readFileSync(DEFAULT_MODULE_PATH));
  // A one-sample data set through a fresh module: the same encoding path as training.
  const outputOf = (x: number[]) => {
    const one: Dataset = { ...dataset, train: [{ ...dataset.train[0], x }], test: [] };
    const m = QiotModule.fromBytes(moduleBytes);
    m.writeConfig({ ...abiConfigOf(cfg, dataset, { hostParams: true }), nTrain: 1, nTest: 0 });
    m.writeDataset(packDataset(one));
    expect(m.init()).toBe(0);
    m.setParams(theta);
    return m.output(0);
  };
  const x0 = dataset.train[0].x;
  return x0.map((_, i) => Math.abs(outputOf(x0.map((v, k) => (k === i ? v + 0.7 : v))) - outputOf(x0)));
}

describe.each(STUDY_TASK_NAMES)('%s task', (task) => {
  it('study model: every one of the 24 parameters has a gradient ≥ 1e−3 somewhere; every feature moves the output', async () => {
    const g = await largestGradients(STUDY_MODEL, task);
    expect(g).toHaveLength(24);
    for (const [j, v] of g.entries()) expect(v, `parameter ${j}`).toBeGreaterThan(1e-3);
    const reach = await featureReach(STUDY_MODEL, task);
    for (const [i, v] of reach.entries()) expect(v, `feature ${i}`).toBeGreaterThan(1e-3);
  });

  it('old model: 12 of 16 parameters have no gradient (below f32 noise) and features 2 and 3 never reach ⟨Z₀⟩', async () => {
    const g = await largestGradients(OLD_MODEL, task);
    const dead = g.flatMap((v, j) => (v < DEAD_GRADIENT ? [j] : []));
    expect(dead).toEqual([3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15]);
    const reach = await featureReach(OLD_MODEL, task);
    expect(reach[0]).toBeGreaterThan(1e-3);
    expect(reach[1]).toBeGreaterThan(1e-3);
    expect(reach[2]).toBeLessThan(1e-6);
    expect(reach[3]).toBeLessThan(1e-6);
  });
});
