// The HIL suite: `QIOT_TARGET=posix|rv32|/dev/ttyX npx vitest run --config hil-tests/vitest.config.ts`
// (or `make hil`). One board, one port: test files run one after another.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { HOOK_TIMEOUT_MS, TARGET, TEST_TIMEOUT_MS } from './target.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root,
  test: {
    include: ['hil-tests/**/*.test.ts'],
    // The fleet runner's own test starts a gateway and runs this suite through it: part of `make test`'s vitest run.
    exclude: ['hil-tests/fleet-run.test.ts'],
    globalSetup: ['hil-tests/probe.ts'],
    fileParallelism: false,
    testTimeout: TEST_TIMEOUT_MS,
    hookTimeout: HOOK_TIMEOUT_MS,
    teardownTimeout: HOOK_TIMEOUT_MS,
    reporters: ['default', ['junit', { suiteName: `qiot HIL (${TARGET.name})`, classnameTemplate: `${TARGET.name}.{filename}` }]],
    outputFile: { junit: `build/hil/junit-${TARGET.name}.xml` },
  },
});
