// The module in a pool thread runs bit-identically to the module in this thread,
// several runs at once; stop and a refused config behave as on ModuleTarget.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.ts';
import { MODULE_PATH, REPO } from '../../testing/harness.ts';
import { ModuleTarget, readModuleImage } from '../train/module-target.ts';
import { runTraining } from '../train/run.ts';
import { ConfigRejectedError } from '../train/target.ts';
import { createRunPool, ThreadTarget } from './thread-target.ts';
import { CONFIG_SIZE } from '../wasm/abi.ts';

const pool = createRunPool(2);
afterAll(() => pool.close());

describe('ThreadTarget', () => {
  it('streams the same records as the in-process module, two runs in parallel', async () => {
    const image = await readModuleImage(MODULE_PATH);
    const configs = [1, 2].map((seed) => loadConfig(join(REPO, 'examples/iris-nlr.json'), { steps: 8, seed }));
    const threaded = await Promise.all(
      configs.map((cfg) => runTraining(new ThreadTarget(pool, image), cfg, { qiotVersion: 't', sinks: [] })),
    );
    for (const [i, cfg] of configs.entries()) {
      const local = await runTraining(new ModuleTarget(image), cfg, { qiotVersion: 't', sinks: [] });
      expect(threaded[i].steps.map((s) => s.raw)).toEqual(local.steps.map((s) => s.raw));
      expect(threaded[i].summary.train_loss).toBe(local.summary.train_loss);
      expect(threaded[i].summary.status).toBe('completed');
    }
    expect(threaded[0].steps[0].raw).not.toEqual(threaded[1].steps[0].raw); // different seeds really ran
  });

  it('stops after the current step when asked', async () => {
    const image = await readModuleImage(MODULE_PATH);
    const cfg = loadConfig(join(REPO, 'examples/iris-nlr.json'), { steps: 0 });
    const target = new ThreadTarget(pool, image);
    const result = await runTraining(target, cfg, {
      qiotVersion: 't',
      sinks: [(r) => r.type === 'step' && r.step === 3 && target.stop()],
    });
    expect(result.summary.status).toBe('stopped');
    expect(result.steps.length).toBeGreaterThanOrEqual(3);
  });

  it('reports a config the module refuses as ConfigRejectedError', async () => {
    const image = await readModuleImage(MODULE_PATH);
    const target = new ThreadTarget(pool, image);
    await target.configure(new Uint8Array(CONFIG_SIZE), new Uint8Array(0));
    await expect(target.train(1, () => undefined)).rejects.toBeInstanceOf(ConfigRejectedError);
  });
});
