export * from './constants.ts';
export * from './bytes.ts';
export * from './cobs.ts';
export * from './frame.ts';
export * from './decoder.ts';
export * from './requests.ts';
export * from './responses.ts';
