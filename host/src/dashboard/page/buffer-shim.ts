// Node's Buffer for the shared fleet codecs (host/src/fleet/messages.ts) in the
// browser: esbuild injects this wherever bundled code names `Buffer`.
export { Buffer } from 'buffer';
