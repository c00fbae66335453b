import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'tests/**/*.test.ts'],
    globalSetup: ['tests/setup/kafka.global.ts'],
    testTimeout: 20_000,
    hookTimeout: 120_000,
    // Two cores here: files run in parallel, but not so many that timing-sensitive flows starve.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
