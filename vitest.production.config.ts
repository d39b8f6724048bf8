import { defineConfig } from 'vitest/config';

/**
 * `npm run test:production`: lekdicht on the production-shaped stack, the real Temporal server on PostgreSQL with
 * SQL visibility (devstack/temporal-cluster.ts), brought up once by the global setup. Its files start lekdicht's own
 * processes (workers, HTTP instances) as children. Needs scripts/install-temporal-server (README).
 */
export default defineConfig({
  test: {
    // The native worker runtime wants a process of its own; the files share one cluster, one after the other.
    pool: 'forks',
    maxWorkers: 1,
    include: ['test/production/**/*.test.ts'],
    globalSetup: ['test/production/support/global-setup.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
