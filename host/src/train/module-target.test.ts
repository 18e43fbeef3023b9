// ModuleTarget on the real build/qiot.wasm: shot accounting, the budget stop,
// stop(), the shared θ₀ that --compare relies on, and refusals by the module.
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeConfig } from '../config/encode.ts';
import { parseConfig } from '../config/load.ts';
import { OPTIMIZER_NAMES, type RunConfigInput } from '../config/schema.ts';
import { loadDataset } from '../data/load.ts';
import { packDataset } from '../data/pack.ts';
import { decodeTelemetry } from '../wasm/telemetry.ts';
import { ModuleTarget, readModuleImage, type ModuleImage } from './module-target.ts';
import { ConfigRejectedError, type StepTelemetry } from './target.ts';

let image: ModuleImage;
beforeAll(async () => {
  image = await readModuleImage();
});

async function configured(input: RunConfigInput) {
  const cfg = parseConfig(input);
  const dataset = loadDataset(cfg);
  const target = new ModuleTarget(image);
  await target.configure(encodeConfig(cfg, dataset), dataset ? packDataset(dataset) : new Uint8Array(0));
  return { cfg, target, dataset };
}

async function trainAll(target: ModuleTarget, steps: number, onEach?: (i: number) => void) {
  const seen: StepTelemetry[] = [];
  const summary = await target.train(steps, (s) => {
    seen.push(s);
    onEach?.(seen.length);
  });
  return { summary, records: seen.map((s) => decodeTelemetry(s.raw)) };
}

// 12 samples × 25 % test → 9 training samples; 2 qubits × 1 layer HEA → P = 4.
const small = (optimizer: string, shots: object = { per_eval: 50, budget: 1_000_000 }): RunConfigInput => ({
  qubits: 2,
  layers: 1,
  cost: 'class-sq',
  dataset: { name: 'synthetic', samples: 12 },
  optimizer: { name: optimizer as 'sgd' },
  shots,
});

describe('ModuleTarget', () => {
  it('charges per_eval shots for each of the B(1 + 2P) evaluations of a parameter-shift step', async () => {
    const { target } = await configured(small('sgd'));
    const { records } = await trainAll(target, 3);
    const evals = 9 * (1 + 2 * 4); // B(1 + 2P): the loss, then two shifted circuits per parameter, per sample
    expect(records.map((r) => r.evals)).toEqual([evals, evals, evals]);
    expect(records.map((r) => r.shots)).toEqual([evals * 50, evals * 50, evals * 50]);
    expect(records.map((r) => r.shotsTotal)).toEqual([1, 2, 3].map((k) => k * evals * 50));
  });

  it('ends with budget_exhausted before the step that would overrun the budget (steps 0 = until then)', async () => {
    const perStep = 9 * (1 + 2 * 4) * 50;
    const budget = Math.floor(3.5 * perStep);
    const { target } = await configured(small('sgd', { per_eval: 50, budget }));
    const before = Array.from(target.module.getParams());
    const { summary, records } = await trainAll(target, 0);
    expect(summary.status).toBe('budget_exhausted');
    expect(records).toHaveLength(3);
    expect(summary.shotsTotal).toBe(3 * perStep);
    expect(summary.shotsTotal).toBeLessThanOrEqual(budget);
    expect(Array.from(target.module.getParams())).not.toEqual(before);
  });

  it('stops after the current step when stop() is called', async () => {
    const { target } = await configured(small('adam', { per_eval: 0, budget: 0 }));
    let stopAt = 0;
    const { summary, records } = await trainAll(target, 50, (n) => {
      if (n === 4) {
        stopAt = n;
        target.stop();
      }
    });
    expect(summary.status).toBe('stopped');
    expect(records).toHaveLength(stopAt);
    // The summary's accuracy is the module's own at the θ the run stopped with.
    expect(summary.testAccuracy).toBe(target.module.accuracy(1));
    expect(summary.testAccuracy).toBeGreaterThan(0);
  });

  it('draws the same θ₀ for every optimizer with one seed, another θ₀ with another seed', async () => {
    const base: RunConfigInput = { qubits: 4, layers: 3, ansatz: 'mcclean', cost: 'class-xent', dataset: { name: 'iris' } };
    const thetas = [];
    for (const name of OPTIMIZER_NAMES) {
      const { target } = await configured({ ...base, optimizer: { name } });
      thetas.push(Buffer.from(target.initialParameters().buffer).toString('hex'));
    }
    expect(new Set(thetas).size).toBe(1);
    const { target } = await configured({ ...base, seed: 2 });
    expect(Buffer.from(target.initialParameters().buffer).toString('hex')).not.toBe(thetas[0]);
  });

  it('reports the module’s own refusal of a config the host did not check', async () => {
    const cfg = parseConfig({});
    const bytes = encodeConfig(cfg, null);
    new DataView(bytes.buffer).setUint32(4, 11, true); // qubits = 11, past max_qubits()
    const target = new ModuleTarget(image);
    const refusal = await target.configure(bytes, new Uint8Array(0)).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ConfigRejectedError);
    expect((refusal as ConfigRejectedError).code).toBe(2);
    expect((refusal as ConfigRejectedError).moduleMessage).toMatch(/^qubits/);
  });
});
