// The module builds of the one runtime source (docs/abi.md "Builds"), by name.
import { packagePath } from '../package-root.ts';

export const MODULE_BUILDS = {
  /** Q1.30 fixed-point amplitudes, one 64 KiB page, ≤ 10 qubits: what boards run. */
  device: 'qiot.wasm',
  /** The device build with f32 amplitudes (comparison and benchmarks). */
  'device-f32': 'qiot-f32.wasm',
  /** f32 + wasm SIMD, ≤ 20 qubits and 4 096 parameters, memory sized to fit: Node only. */
  host: 'qiot-host.wasm',
} as const;

export type ModuleBuild = keyof typeof MODULE_BUILDS;
export const MODULE_BUILD_NAMES = Object.keys(MODULE_BUILDS) as ModuleBuild[];

/** build/<file> of this checkout for a build name. */
export function moduleBuildPath(build: ModuleBuild): string {
  return packagePath('build', MODULE_BUILDS[build]);
}

/** Parses a --module value; throws an Error naming the accepted builds. */
export function parseModuleBuild(name: string): ModuleBuild {
  if (!Object.hasOwn(MODULE_BUILDS, name)) {
    throw new Error(`unknown module build '${name}': expected one of ${MODULE_BUILD_NAMES.join(', ')}`);
  }
  return name as ModuleBuild;
}
