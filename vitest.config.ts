import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs no servers; `integration` gets real Kafka, registry and
// Redis from the global setup (started by the project itself, or taken from env vars).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          exclude: ['node_modules/**', 'dist/**'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['**/*.itest.ts'],
          exclude: ['node_modules/**', 'dist/**'],
          environment: 'node',
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Suites share one broker and one Redis on a 2-core machine: run files one at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
