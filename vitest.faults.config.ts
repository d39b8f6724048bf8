import { defineConfig } from 'vitest/config';
import { STACK } from './vitest.config';

/**
 * `npm run test:faults`: tests that inject real faults (a killed worker, a restarted Temporal server, an SMTP
 * server answering 4xx/5xx, a locked register, a ticket system that is down, a burst of 1,000 signals). See
 * docs/faults.md. The same run setup as `npm test` (one dev server, one bundle, fresh codec keys).
 */
export default defineConfig({
  test: {
    ...STACK,
    // Two cores: two files at a time; each file's workers and servers are its own.
    maxWorkers: 2,
    include: ['test/faults/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
