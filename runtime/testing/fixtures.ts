// Shared helpers for the module tests: one compiled module, fresh instances, configs, datasets.
import { readFileSync } from 'node:fs';
import {
  DEFAULT_ABI_CONFIG,
  DEFAULT_MODULE_PATH,
  QiotModule,
  moduleBuildPath,
  type AbiConfig,
  type ModuleBuild,
} from '../../host/src/wasm/index.ts';
import type { Sample } from './reference-model.ts';

const moduleBytes = new Map<ModuleBuild, Uint8Array<ArrayBuffer>>();

/** The bytes of a build (default: the device build, build/qiot.wasm). */
export function moduleFileBytes(build: ModuleBuild = 'device'): Uint8Array<ArrayBuffer> {
  let bytes = moduleBytes.get(build);
  if (!bytes) {
    bytes = Uint8Array.from(readFileSync(build === 'device' ? DEFAULT_MODULE_PATH : moduleBuildPath(build)));
    moduleBytes.set(build, bytes);
  }
  return bytes;
}

/** A fresh instance (own memory) of a build (default: build/qiot.wasm). */
export function freshModule(build: ModuleBuild = 'device'): QiotModule {
  return QiotModule.fromBytes(moduleFileBytes(build));
}

export function abiConfig(overrides: Partial<AbiConfig> = {}): AbiConfig {
  return { ...DEFAULT_ABI_CONFIG, ...overrides };
}

/** Packs samples as f32 features[N][F] followed by f32 labels[N]. */
export function packSamples(samples: Sample[]): Uint8Array {
  const featureCount = samples[0]?.features.length ?? 0;
  const values = new Float32Array(samples.length * (featureCount + 1));
  samples.forEach((s, i) => values.set(s.features, i * featureCount));
  samples.forEach((s, i) => (values[samples.length * featureCount + i] = s.label));
  return new Uint8Array(values.buffer);
}

/** Deterministic pseudo-random angles (a small LCG), rounded to f32 like the dataset region. */
export function lcgAngles(count: number, seed: number, scale = Math.PI): number[] {
  let state = seed >>> 0;
  return Array.from({ length: count }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return Math.fround((state / 2 ** 32) * scale);
  });
}

/** Two-class samples: label +1 when the first feature is below π/2. */
export function twoClassSamples(count: number, featureCount: number, seed: number): Sample[] {
  const angles = lcgAngles(count * featureCount, seed);
  return Array.from({ length: count }, (_, i) => {
    const features = angles.slice(i * featureCount, (i + 1) * featureCount);
    return { features, label: features[0] < Math.PI / 2 ? 1 : -1 };
  });
}

/** A module with config + dataset written and init() checked. */
export function initialisedModule(overrides: Partial<AbiConfig>, samples: Sample[] = [], build: ModuleBuild = 'device'): QiotModule {
  const module = freshModule(build);
  module.writeConfig(abiConfig(overrides));
  if (samples.length > 0) module.writeDataset(packSamples(samples));
  const code = module.init();
  if (code !== 0) throw new Error(`init failed: ${module.errorMessage(code)}`);
  return module;
}
