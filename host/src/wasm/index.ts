// The Node binding of build/qiot.wasm (docs/abi.md).
export * from './abi.ts';
export * from './config-codec.ts';
export * from './telemetry.ts';
export * from './module.ts';
export * from './builds.ts';
