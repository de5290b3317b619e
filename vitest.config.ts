import { defineConfig } from 'vitest/config';

// One test run for every module. Browser and real-peer suites start their own peers (chromium,
// rotctld, indiserver) on loopback, so they need generous timeouts but no manual set-up.
export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'web/dist/**', 'var/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
