// The shipped examples/ configs are valid and train (schedules included): the exact training loss
// at the end is well below the first step's (mini-batch) loss at θ₀, and classifiers beat chance (50 %)
// clearly on held-out data. Runs the full configured number of steps.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.ts';
import { HOST_BUILD_LIMITS, LIMITS } from '../config/limits.ts';
import { moduleBuildPath } from '../wasm/builds.ts';
import { ModuleTarget, readModuleImage } from './module-target.ts';
import { runTraining } from './run.ts';

const EXAMPLES = new URL('../../../examples/', import.meta.url).pathname;

describe('examples/', () => {
  const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.json'));

  it('has the six documented examples', () => {
    expect(files.sort()).toEqual([
      'host-hea-16.json',
      'iris-nlr.json',
      'plateau-global.json',
      'synthetic-layerwise.json',
      'synthetic-nlr.json',
      'synthetic-restarts.json',
    ]);
  });

  // host-*.json need the host build (`qiot sim --module host`).
  it.each(files)('%s trains', async (file) => {
    const host = file.startsWith('host-');
    const cfg = loadConfig(join(EXAMPLES, file), {}, host ? HOST_BUILD_LIMITS : LIMITS);
    const target = new ModuleTarget(await readModuleImage(host ? moduleBuildPath('host') : undefined));
    const { steps, summary } = await runTraining(target, cfg, { qiotVersion: 'test', sinks: [] });
    expect(summary.status).toBe('completed');
    expect(summary.steps).toBe(cfg.steps);
    const initial = steps[0]!.loss!;
    // A layerwise run's first step is its one-layer circuit's loss, lower than the whole model's at θ₀.
    expect(summary.train_loss!).toBeLessThan((cfg.schedule?.kind === 'layerwise' ? 0.8 : 0.7) * initial);
    if (cfg.dataset.name !== 'none') expect(summary.test_accuracy!).toBeGreaterThanOrEqual(0.8);
  });
});
