#!/usr/bin/env node
// Entry point of the `qiot` CLI. In the repository it runs the TypeScript sources
// through tsx (no build step); the installed package has no sources, only the
// compiled JavaScript in dist/ (`make dist`, run by `npm pack`), which Node runs as is.
import { existsSync } from 'node:fs';

const sources = new URL('../src/cli/main.ts', import.meta.url);
if (existsSync(sources)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(sources.href);
} else {
  await import('../../dist/host/src/cli/main.js');
}
