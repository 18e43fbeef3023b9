import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // hil-tests/fleet-run.test.ts: the fleet HIL runner on a gateway (the rest of hil-tests/ is `make hil`).
    include: ['abi/**/*.test.ts', 'runtime/**/*.test.ts', 'host/**/*.test.ts', 'bench/**/*.test.ts', 'hil-tests/fleet-run.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
