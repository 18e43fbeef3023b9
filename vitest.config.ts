import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['abi/**/*.test.ts', 'runtime/**/*.test.ts', 'host/**/*.test.ts', 'bench/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
