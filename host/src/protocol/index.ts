export * from './constants.ts';
export * from './bytes.ts';
export * from './cobs.ts';
export * from './frame.ts';
export * from './decoder.ts';
export * from './payloads.generated.ts';
export * from './info.ts';
