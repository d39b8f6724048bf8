import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Temporal's native worker wants a process of its own (Runtime.install once per process): forks, not threads.
    pool: 'forks',
    // One Temporal dev server and one workflow bundle for the whole run; each test uses its own task queue.
    globalSetup: ['test/support/global-setup.ts'],
    include: ['test/**/*.test.ts'],
    // The long fault-injection suites run in `npm run test:faults` (vitest.faults.config.ts), which .ci/run also calls.
    exclude: ['test/faults/**', '**/node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
